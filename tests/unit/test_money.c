/* test_money.c - exact money: parsing, formatting, rounding, VAT, overflow. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "money.h"

#define NBSP	"\xc2\xa0"
#define NNBSP	"\xe2\x80\xaf"

struct parse_case {
	const char *in;
	int scale;
	unsigned flags;
	int status;		/* expected return */
	int64_t want;		/* when status == 0 */
};

static const struct parse_case good[] = {
	{ "1234.5", 2, 0, 0, 123450 },
	{ "1234.50", 2, 0, 0, 123450 },
	{ "1234", 2, 0, 0, 123400 },
	{ "-12.3", 2, 0, 0, -1230 },
	{ "+5", 2, 0, 0, 500 },
	{ "0", 2, 0, 0, 0 },
	{ "-0", 2, 0, 0, 0 },
	{ "0.05", 2, 0, 0, 5 },
	{ "-0.05", 2, 0, 0, -5 },
	{ "007.10", 2, 0, 0, 710 },
	{ "1 234.50", 2, 0, 0, 123450 },
	{ "1 234 567.89", 2, 0, 0, 123456789 },
	{ "1,234.50", 2, 0, 0, 123450 },
	{ "1,234,567", 2, 0, 0, 123456700 },
	{ "1,234", 2, 0, 0, 123400 },
	{ "1 234,50", 2, LS_MONEY_DECIMAL_COMMA, 0, 123450 },
	{ "1234,5", 2, LS_MONEY_DECIMAL_COMMA, 0, 123450 },
	{ "1" NBSP "234,50", 2, LS_MONEY_DECIMAL_COMMA, 0, 123450 },
	{ "1" NNBSP "234" NNBSP "567,00", 2, LS_MONEY_DECIMAL_COMMA, 0, 123456700 },
	{ "-1" NBSP "234,50", 2, LS_MONEY_DECIMAL_COMMA, 0, -123450 },
	{ "  42.00 ", 2, 0, 0, 4200 },
	{ "\t42" NBSP, 2, 0, 0, 4200 },
	{ "1.500", 2, 0, 0, 150 },		/* extra zeros lose nothing */
	{ "7.000000", 0, 0, 0, 7 },
	{ "7", 0, 0, 0, 7 },
	{ "1.5", 3, 0, 0, 1500 },
	{ "0.000001", 6, 0, 0, 1 },
	{ "92233720368547758.07", 2, 0, 0, INT64_MAX },
	{ "-92233720368547758.07", 2, 0, 0, -INT64_MAX },
	{ "9223372036854775807", 0, 0, 0, INT64_MAX },
	{ "1.005", 2, LS_MONEY_ROUND, 0, 101 },
	{ "1.0049", 2, LS_MONEY_ROUND, 0, 100 },
	{ "-1.005", 2, LS_MONEY_ROUND, 0, -101 },
	{ "-1.0049999", 2, LS_MONEY_ROUND, 0, -100 },
	{ "2.5", 0, LS_MONEY_ROUND, 0, 3 },
	{ "-2.5", 0, LS_MONEY_ROUND, 0, -3 },
	{ "1.2305", 2, LS_MONEY_ROUND, 0, 123 },
};

static const struct parse_case bad[] = {
	{ "", 2, 0, LS_EDATA, 0 },
	{ "   ", 2, 0, LS_EDATA, 0 },
	{ "-", 2, 0, LS_EDATA, 0 },
	{ "+", 2, 0, LS_EDATA, 0 },
	{ "abc", 2, 0, LS_EDATA, 0 },
	{ "12abc", 2, 0, LS_EDATA, 0 },
	{ "--5", 2, 0, LS_EDATA, 0 },
	{ "+-5", 2, 0, LS_EDATA, 0 },
	{ "5-", 2, 0, LS_EDATA, 0 },
	{ "- 5", 2, 0, LS_EDATA, 0 },
	{ "1.2.3", 2, 0, LS_EDATA, 0 },
	{ ".5", 2, 0, LS_EDATA, 0 },
	{ "5.", 2, 0, LS_EDATA, 0 },
	{ "1.234", 2, 0, LS_EDATA, 0 },		/* too many decimals */
	{ "1.5", 0, 0, LS_EDATA, 0 },
	{ "12 34", 2, 0, LS_EDATA, 0 },
	{ "1234 567", 2, 0, LS_EDATA, 0 },
	{ "1  234", 2, 0, LS_EDATA, 0 },
	{ "1 234" NBSP "567", 2, 0, LS_EDATA, 0 },	/* mixed separators */
	{ "1,234 567", 2, 0, LS_EDATA, 0 },
	{ "1,23", 2, 0, LS_EDATA, 0 },		/* a decimal comma without the flag */
	{ "1234,50", 2, 0, LS_EDATA, 0 },
	{ "1,234.50", 2, LS_MONEY_DECIMAL_COMMA, LS_EDATA, 0 },
	{ "1.234,50", 2, LS_MONEY_DECIMAL_COMMA, LS_EDATA, 0 },
	{ "1234.50", 2, LS_MONEY_DECIMAL_COMMA, LS_EDATA, 0 },
	{ "1 234 ,50", 2, LS_MONEY_DECIMAL_COMMA, LS_EDATA, 0 },
	{ "1,", 2, 0, LS_EDATA, 0 },
	{ "1e5", 2, 0, LS_EDATA, 0 },
	{ "0x10", 2, 0, LS_EDATA, 0 },
	{ "1.2 3", 2, 0, LS_EDATA, 0 },
	{ "92233720368547758.08", 2, 0, LS_EDATA, 0 },
	{ "9223372036854775808", 0, 0, LS_EDATA, 0 },
	{ "100000000000000000", 2, 0, LS_EDATA, 0 },
	{ "99999999999999999999999", 2, 0, LS_EDATA, 0 },
	{ "92233720368547758.075", 2, LS_MONEY_ROUND, LS_EDATA, 0 },
	{ "1", 7, 0, LS_EUSAGE, 0 },
	{ "1", -1, 0, LS_EUSAGE, 0 },
};

static void
run_parse(const struct parse_case *c, size_t nc)
{
	struct ls_error err;
	int64_t v;
	size_t i;
	int rc;

	for (i = 0; i < nc; i++) {
		memset(&err, 0, sizeof(err));
		v = 12345;
		rc = ls_money_parse(c[i].in, strlen(c[i].in), c[i].scale,
		    c[i].flags, &v, &err);
		if (rc != c[i].status)
			fail_msg("'%s' scale %d: status %d, want %d (%s)", c[i].in,
			    c[i].scale, rc, c[i].status, err.msg);
		if (rc == 0 && v != c[i].want)
			fail_msg("'%s': got %lld, want %lld", c[i].in,
			    (long long)v, (long long)c[i].want);
		if (rc != 0) {
			assert_int_equal(v, 12345);	/* untouched */
			assert_true(err.msg[0] != '\0');
		}
	}
}

static void
test_parse_good(void **state)
{
	(void)state;
	run_parse(good, sizeof(good) / sizeof(good[0]));
}

static void
test_parse_bad(void **state)
{
	(void)state;
	run_parse(bad, sizeof(bad) / sizeof(bad[0]));
}

/* Input comes from CSV fields: (pointer, length), no NUL at the end. */
static void
test_parse_not_nul_terminated(void **state)
{
	const char buf[] = "12.34567";
	int64_t v;

	(void)state;
	assert_int_equal(ls_money_parse(buf, 5, 2, 0, &v, NULL), 0);
	assert_int_equal(v, 1234);
	assert_int_equal(ls_money_parse(buf, 0, 2, 0, &v, NULL), LS_EDATA);
}

static void
test_parse_message(void **state)
{
	struct ls_error err;
	int64_t v;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_money_parse("1.234", 5, 2, 0, &v, &err), LS_EDATA);
	assert_int_equal(err.status, LS_EDATA);
	assert_string_equal(err.msg, "bad amount '1.234': too many decimals");
	assert_int_equal(ls_money_parse("1e5", 3, 2, 0, &v, NULL), LS_EDATA);
	/* a comma after the decimals in decimal point mode is not a grouping */
	assert_int_equal(ls_money_parse("1.5,0", 5, 2, 0, &v, &err), LS_EDATA);
	assert_string_equal(err.msg, "bad amount '1.5,0': unexpected ','");
	/* a narrow no-break space (Russian Excel's) around the amount is a blank too */
	assert_int_equal(ls_money_parse(NNBSP "1" NNBSP "234,50" NNBSP, 16, 2, LS_MONEY_DECIMAL_COMMA, &v,
	    &err), 0);
	assert_int_equal(v, 123450);
}

/* A scale outside 0..6 is the caller's mistake, named with the scale, whatever the operation. */
static void
test_scale_refused(void **state)
{
	struct ls_error err;
	int64_t v = 7;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_money_mul(100, 3, 7, &v, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "money scale 7 out of range 0..6");
	assert_int_equal(ls_money_percent(100, 3, -1, &v, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "money scale -1 out of range 0..6");
	assert_int_equal(ls_money_rescale(100, 9, 2, &v, &err), LS_EUSAGE);
	assert_string_equal(err.msg, "money scale 9 out of range 0..6");
	assert_int_equal(v, 7);		/* untouched */
}

struct fmt_case {
	int64_t v;
	int scale;
	const char *group;
	char decimal;
	const char *want;
};

static const struct fmt_case fmts[] = {
	{ 123450, 2, NULL, 0, "1234.50" },
	{ -5, 2, NULL, 0, "-0.05" },
	{ 0, 2, NULL, 0, "0.00" },
	{ 7, 0, NULL, 0, "7" },
	{ 1, 6, NULL, 0, "0.000001" },
	{ -123456789, 2, NULL, 0, "-1234567.89" },
	{ INT64_MAX, 2, NULL, 0, "92233720368547758.07" },
	{ INT64_MIN, 0, NULL, 0, "-9223372036854775808" },
	{ 123450, 2, " ", ',', "1 234,50" },
	{ 12345, 2, " ", ',', "123,45" },
	{ 100000, 2, " ", ',', "1 000,00" },
	{ -123456789, 2, NBSP, ',', "-1" NBSP "234" NBSP "567,89" },
	{ 1234567, 0, ",", 0, "1,234,567" },
	{ 123456, 0, ",", 0, "123,456" },
	{ INT64_MAX, 0, NNBSP, ',',
	    "9" NNBSP "223" NNBSP "372" NNBSP "036" NNBSP "854" NNBSP "775" NNBSP "807" },
};

static void
test_format(void **state)
{
	char buf[LS_MONEY_BUFSZ];
	struct ls_money_fmt f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		f.group = fmts[i].group;
		f.decimal = fmts[i].decimal;
		assert_int_equal(ls_money_format_ex(fmts[i].v, fmts[i].scale, &f,
		    buf, sizeof(buf)), 0);
		assert_string_equal(buf, fmts[i].want);
		if (fmts[i].group == NULL && fmts[i].decimal == 0) {
			assert_int_equal(ls_money_format(fmts[i].v,
			    fmts[i].scale, buf, sizeof(buf)), 0);
			assert_string_equal(buf, fmts[i].want);
		}
	}
}

static void
test_format_small_buffer(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(ls_money_format(123450, 2, buf, 8), 0);	/* "1234.50" + NUL */
	assert_string_equal(buf, "1234.50");
	assert_int_equal(ls_money_format(123450, 2, buf, 7), LS_EUSAGE);
	assert_string_equal(buf, "");
	assert_int_equal(ls_money_format(1, 9, buf, sizeof(buf)), LS_EUSAGE);
}

/* What parse reads, format writes back the same. */
static void
test_round_trip(void **state)
{
	static const int64_t vals[] = { 0, 1, -1, 99, -100, 123456789, -987654321012,
	    INT64_MAX, -INT64_MAX };
	char buf[LS_MONEY_BUFSZ];
	struct ls_money_fmt ru = { NNBSP, ',' };
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		assert_int_equal(ls_money_format(vals[i], 2, buf, sizeof(buf)), 0);
		assert_int_equal(ls_money_parse(buf, strlen(buf), 2, 0, &v, NULL), 0);
		assert_int_equal(v, vals[i]);
		assert_int_equal(ls_money_format_ex(vals[i], 2, &ru, buf, sizeof(buf)), 0);
		assert_int_equal(ls_money_parse(buf, strlen(buf), 2,
		    LS_MONEY_DECIMAL_COMMA, &v, NULL), 0);
		assert_int_equal(v, vals[i]);
	}
}

struct arith_case {
	int64_t a, b;
	int s;
	int64_t want;
};

static const struct arith_case muls[] = {
	{ 250, 15, 1, 375 },			/* 2.50 x 1.5 */
	{ 333, 3, 0, 999 },
	{ 1000, 3333, 4, 333 },			/* 10.00 x 0.3333 = 3.333 */
	{ 1001, 5, 1, 501 },			/* 10.01 x 0.5 = 5.005 -> 5.01 */
	{ -1001, 5, 1, -501 },			/* half away from zero, negative */
	{ 1001, -5, 1, -501 },
	{ -1001, -5, 1, 501 },
	{ 1003, 5, 1, 502 },			/* 5.015 -> 5.02 */
	{ 1, 4, 1, 0 },				/* 0.004 -> 0.00 */
	{ 1, 5, 1, 1 },				/* 0.005 -> 0.01 */
	{ -1, 5, 1, -1 },
	{ -1, 4, 1, 0 },
	{ 99999, 1234567, 6, 123455 },		/* 999.99 x 1.234567 = 1234.55466 */
};

static void
test_mul_rounding(void **state)
{
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(muls) / sizeof(muls[0]); i++) {
		assert_int_equal(ls_money_mul(muls[i].a, muls[i].b, muls[i].s, &v, NULL), 0);
		if (v != muls[i].want)
			fail_msg("case %zu: %lld, want %lld", i, (long long)v,
			    (long long)muls[i].want);
	}
}

static const struct arith_case divs[] = {
	{ 7, 2, 0, 4 },
	{ -7, 2, 0, -4 },
	{ 7, -2, 0, -4 },
	{ -7, -2, 0, 4 },
	{ 5, 3, 0, 2 },
	{ -5, 3, 0, -2 },
	{ 10, 4, 0, 3 },			/* 2.5 */
	{ 9, 4, 0, 2 },				/* 2.25 */
	{ 0, 7, 0, 0 },
	{ INT64_MAX, 1, 0, INT64_MAX },
	{ INT64_MAX, 2, 0, 4611686018427387904 },
	{ -INT64_MAX, -1, 0, INT64_MAX },
};

static void
test_div_round(void **state)
{
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(divs) / sizeof(divs[0]); i++) {
		assert_int_equal(ls_money_div_round(divs[i].a, divs[i].b, &v, NULL), 0);
		if (v != divs[i].want)
			fail_msg("%lld / %lld: %lld, want %lld", (long long)divs[i].a,
			    (long long)divs[i].b, (long long)v, (long long)divs[i].want);
	}
}

static void
test_div_errors(void **state)
{
	struct ls_error err;
	int64_t v = 42;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_money_div_round(1, 0, &v, &err), LS_EDATA);
	assert_string_equal(err.msg, "division by zero");
	assert_int_equal(ls_money_div_round(INT64_MIN, -1, &v, &err), LS_EDATA);
	assert_string_equal(err.msg, "amount overflow");
	assert_int_equal(v, 42);
}

struct vat_case {
	int64_t amount, rate;
	int rate_scale;
	enum ls_vat_mode mode;
	int64_t want;
};

static const struct vat_case vats[] = {
	{ 100000, 20, 0, LS_VAT_ADDED, 20000 },
	{ 100000, 20, 0, LS_VAT_INCLUDED, 16667 },	/* 166.666... */
	{ 100000, 22, 0, LS_VAT_ADDED, 22000 },
	{ 100000, 22, 0, LS_VAT_INCLUDED, 18033 },	/* 180.327... */
	{ 100000, 1050, 2, LS_VAT_ADDED, 10500 },	/* 10.5% */
	{ 100000, 105, 1, LS_VAT_INCLUDED, 9502 },	/* 95.0226... */
	{ 12000, 20, 0, LS_VAT_INCLUDED, 2000 },	/* 120.00 incl. 20% -> 20.00 */
	{ 1234, 10, 0, LS_VAT_ADDED, 123 },		/* 1.234 */
	{ 1235, 10, 0, LS_VAT_ADDED, 124 },		/* 1.235 -> half up */
	{ -1235, 10, 0, LS_VAT_ADDED, -124 },		/* refund: half away from zero */
	{ -100000, 20, 0, LS_VAT_INCLUDED, -16667 },
	{ 100000, 0, 0, LS_VAT_INCLUDED, 0 },
	{ 5, 10, 0, LS_VAT_ADDED, 1 },			/* 0.005 -> 0.01 */
	{ 4, 10, 0, LS_VAT_ADDED, 0 },
};

static void
test_vat(void **state)
{
	int64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(vats) / sizeof(vats[0]); i++) {
		assert_int_equal(ls_money_vat(vats[i].amount, vats[i].rate,
		    vats[i].rate_scale, vats[i].mode, &v, NULL), 0);
		if (v != vats[i].want)
			fail_msg("case %zu: %lld, want %lld", i, (long long)v,
			    (long long)vats[i].want);
	}
	assert_int_equal(ls_money_vat(100, -1, 0, LS_VAT_INCLUDED, &v, NULL), LS_EDATA);
	assert_int_equal(ls_money_vat(100, 1, 7, LS_VAT_ADDED, &v, NULL), LS_EUSAGE);
}

static void
test_percent(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(ls_money_percent(100000, -15, 0, &v, NULL), 0);	/* discount */
	assert_int_equal(v, -15000);
	assert_int_equal(ls_money_percent(333, 50, 0, &v, NULL), 0);		/* 1.665 */
	assert_int_equal(v, 167);
	assert_int_equal(ls_money_percent(-333, 50, 0, &v, NULL), 0);
	assert_int_equal(v, -167);
}

/* The product exceeds 64 bits even though the result fits. */
static void
test_wide_intermediate(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(ls_money_mul(INT64_MAX, 500000, 6, &v, NULL), 0);
	assert_int_equal(v, 4611686018427387904);	/* x0.5, rounded half up */
	assert_int_equal(ls_money_vat(INT64_MAX, 20, 0, LS_VAT_INCLUDED, &v, NULL), 0);
	assert_int_equal(v, 1537228672809129301);	/* (2^63-1)/6 */
	assert_int_equal(ls_money_percent(-INT64_MAX, 100, 0, &v, NULL), 0);
	assert_int_equal(v, -INT64_MAX);
}

static void
test_overflow(void **state)
{
	struct ls_error err;
	int64_t v = 7;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(ls_money_mul(INT64_MAX, 2, 0, &v, &err), LS_EDATA);
	assert_string_equal(err.msg, "amount overflow");
	assert_int_equal(ls_money_mul(INT64_MAX / 2 + 1, -2, 0, &v, NULL), LS_EDATA);
	assert_int_equal(ls_money_mul(INT64_MIN, 1, 0, &v, NULL), LS_EDATA);
	assert_int_equal(ls_money_percent(INT64_MAX, 101, 0, &v, NULL), LS_EDATA);
	assert_int_equal(ls_money_vat(INT64_MAX, 20, 0, LS_VAT_ADDED, &v, NULL), 0);
	assert_int_equal(ls_money_vat(INT64_MAX, INT64_MAX, 0, LS_VAT_INCLUDED, &v, NULL),
	    LS_EDATA);
	assert_int_equal(ls_money_add(INT64_MAX, 1, &v, NULL), LS_EDATA);
	assert_int_equal(ls_money_add(-INT64_MAX, -1, &v, NULL), LS_EDATA);
	assert_int_equal(ls_money_add(INT64_MAX - 1, 1, &v, NULL), 0);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(ls_money_add(-5, 3, &v, NULL), 0);
	assert_int_equal(v, -2);
	assert_int_equal(ls_money_rescale(INT64_MAX / 10 + 1, 2, 3, &v, NULL), LS_EDATA);
}

static void
test_rescale(void **state)
{
	int64_t v;

	(void)state;
	assert_int_equal(ls_money_rescale(1500, 3, 2, &v, NULL), 0);
	assert_int_equal(v, 150);
	assert_int_equal(ls_money_rescale(1005, 3, 2, &v, NULL), 0);
	assert_int_equal(v, 101);
	assert_int_equal(ls_money_rescale(-1005, 3, 2, &v, NULL), 0);
	assert_int_equal(v, -101);
	assert_int_equal(ls_money_rescale(15, 1, 6, &v, NULL), 0);
	assert_int_equal(v, 1500000);
	assert_int_equal(ls_money_rescale(15, 1, 7, &v, NULL), LS_EUSAGE);
}

/* One invoice line, the way doc-render does it: qty x price, then VAT. */
static void
test_invoice_line(void **state)
{
	int64_t price, qty, total, vat;

	(void)state;
	assert_int_equal(ls_money_parse("1 234,56", 8, 2, LS_MONEY_DECIMAL_COMMA,
	    &price, NULL), 0);
	assert_int_equal(ls_money_parse("2,5", 3, 3, LS_MONEY_DECIMAL_COMMA,
	    &qty, NULL), 0);
	assert_int_equal(ls_money_mul(price, qty, 3, &total, NULL), 0);
	assert_int_equal(total, 308640);			/* 3086.40 */
	assert_int_equal(ls_money_vat(total, 22, 0, LS_VAT_ADDED, &vat, NULL), 0);
	assert_int_equal(vat, 67901);				/* 679.008 */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_bad),
		cmocka_unit_test(test_parse_not_nul_terminated),
		cmocka_unit_test(test_parse_message),
		cmocka_unit_test(test_scale_refused),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_small_buffer),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_mul_rounding),
		cmocka_unit_test(test_div_round),
		cmocka_unit_test(test_div_errors),
		cmocka_unit_test(test_vat),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_wide_intermediate),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_rescale),
		cmocka_unit_test(test_invoice_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

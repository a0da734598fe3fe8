/*
 * money.h - exact decimal money as int64_t minor units.
 *
 * An amount is an integer count of 10^-scale units: 1234.50 at scale 2 is
 * 123450.  Scales 0..LS_MONEY_MAX_SCALE are allowed; the same routines read
 * quantities ("1.5" at scale 3 is 1500) and rates ("10.5" at scale 2 is
 * 1050).  Nothing here goes through floating point.
 *
 * Every value lies in [-INT64_MAX, INT64_MAX]; INT64_MIN is never produced,
 * so negating a result is always safe.  A result that would leave that range
 * is an LS_EDATA error ("amount overflow"), never a wrapped number.
 *
 * Rounding is half away from zero everywhere (2.345 -> 2.35,
 * -2.345 -> -2.35), as accountants expect; C's "/" truncates instead.
 *
 * Errors fill err->msg only; file and line are left for the caller, who
 * knows which record the text came from.  err may be NULL.
 */
#ifndef LS_MONEY_H
#define LS_MONEY_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define LS_MONEY_MAX_SCALE	6

/* A buffer this big holds any formatted amount, whatever the options. */
#define LS_MONEY_BUFSZ		64

/* Flags for ls_money_parse(). */
#define LS_MONEY_DECIMAL_COMMA	0x01	/* ',' separates decimals; '.' is refused */
#define LS_MONEY_ROUND		0x02	/* round excess decimals instead of refusing */

/*
 * Parse the n bytes at p (no NUL needed) as an amount of the given scale
 * into *out.  What is accepted, and nothing else:
 *
 *  - blanks around the number (space, tab, U+00A0, U+202F) are ignored;
 *  - one optional sign, '+' or '-', right before the first digit;
 *  - integer digits, at least one, optionally grouped by thousands: the
 *    first group has 1-3 digits, every later one exactly 3, and all
 *    separators are the same: a space, U+00A0 (no-break space) or U+202F
 *    (narrow no-break space, as Russian Excel writes), or ',' in decimal
 *    point mode.  "1 234 567", "1,234.50" but not "12 34" or "1,23";
 *  - optionally the decimal separator ('.', or ',' with
 *    LS_MONEY_DECIMAL_COMMA) followed by at least one digit.  "5." and ".5"
 *    are refused.  In decimal comma mode '.' is refused outright rather
 *    than read as grouping, because "1.234" there almost always means the
 *    wrong mode was chosen.
 *
 * Decimals beyond scale are accepted when they are all zeros ("1.500" at
 * scale 2), since no value is lost.  Otherwise they are refused, unless
 * LS_MONEY_ROUND is in flags, in which case the value is rounded half away
 * from zero.  "1,234" in decimal point mode is 1234: a decimal-comma amount
 * with exactly three decimals would be refused at scale 2 anyway.
 *
 * Returns 0, LS_EDATA for text that is not an amount or does not fit, or
 * LS_EUSAGE for a scale outside 0..LS_MONEY_MAX_SCALE.  *out is left
 * unchanged on error.
 */
int ls_money_parse(const char *p, size_t n, int scale, unsigned flags,
    int64_t *out, struct ls_error *err);

/*
 * Write v (scale decimals) into buf of size bytes as plain text: an
 * optional '-', digits, '.', exactly scale decimals: "1234.50", "-0.05",
 * "7" at scale 0.  This is the form computed values take in CSV output and
 * templates.  Returns 0, or LS_EUSAGE (with buf set to "" when size > 0) for
 * a bad scale or a buffer smaller than the result; LS_MONEY_BUFSZ always
 * suffices.
 */
int ls_money_format(int64_t v, int scale, char *buf, size_t size);

/* Display options for ls_money_format_ex(); all-zero means plain. */
struct ls_money_fmt {
	const char *group;	/* thousands separator, at most 4 bytes: " ",
				   "\xc2\xa0" (U+00A0); NULL or "": none */
	char decimal;		/* decimal separator; 0 means '.' */
};

/*
 * Like ls_money_format() with a thousands separator and decimal character
 * for people to read: "1 234,50" for a Russian document.  The caller owns
 * f and its strings; f may be NULL.  Same returns as ls_money_format(),
 * plus LS_EUSAGE for a group separator longer than 4 bytes.
 */
int ls_money_format_ex(int64_t v, int scale, const struct ls_money_fmt *f,
    char *buf, size_t size);

/* *out = a + b, or LS_EDATA on overflow (sums of many lines). */
int ls_money_add(int64_t a, int64_t b, int64_t *out, struct ls_error *err);

/*
 * *out = amount * qty / 10^qty_scale, rounded half away from zero: the
 * price of a line, in the amount's scale.  2.50 (250) times 1.5 (15, scale
 * 1) is 3.75 (375).  Returns 0, LS_EDATA on overflow, LS_EUSAGE for a bad
 * qty_scale.
 */
int ls_money_mul(int64_t amount, int64_t qty, int qty_scale, int64_t *out,
    struct ls_error *err);

/*
 * *out = amount * rate / 100, rate being a decimal with rate_scale places
 * (10.5% is 1050 at scale 2), rounded half away from zero.  Negative
 * amounts and rates are fine (discounts).  Same returns as ls_money_mul().
 */
int ls_money_percent(int64_t amount, int64_t rate, int rate_scale,
    int64_t *out, struct ls_error *err);

enum ls_vat_mode {
	LS_VAT_ADDED,		/* amount excludes VAT: vat = amount * rate / 100 */
	LS_VAT_INCLUDED		/* amount includes VAT: vat = amount * rate / (100 + rate) */
};

/*
 * The VAT part of amount at rate (rate_scale places), rounded half away
 * from zero: 1000.00 at 20% is 200.00 added, 166.67 included.  Returns 0,
 * LS_EDATA for a negative rate or overflow, LS_EUSAGE for a bad
 * rate_scale.
 */
int ls_money_vat(int64_t amount, int64_t rate, int rate_scale,
    enum ls_vat_mode mode, int64_t *out, struct ls_error *err);

/*
 * *out = num / den rounded half away from zero (an average, an equal
 * split).  Returns LS_EDATA for den == 0 or when the quotient overflows
 * (INT64_MIN / -1).
 */
int ls_money_div_round(int64_t num, int64_t den, int64_t *out,
    struct ls_error *err);

/*
 * Convert v from scale from to scale to (both 0..LS_MONEY_MAX_SCALE),
 * rounding half away from zero when decimals are dropped.  Returns 0,
 * LS_EDATA on overflow, LS_EUSAGE for a bad scale.
 */
int ls_money_rescale(int64_t v, int from, int to, int64_t *out,
    struct ls_error *err);

#endif

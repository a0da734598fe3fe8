/* money.c - exact decimal money; see money.h for the accepted forms. */
#include <stdint.h>
#include <string.h>

#include "error.h"
#include "money.h"

/* Enough for 100 * 10^LS_MONEY_MAX_SCALE, the largest divisor used. */
static const int64_t pow10tab[] = {
	1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000
};

/* Shown in messages: enough to recognise the field, short enough for a line. */
#define SHOW	40

static int
bad(struct ls_error *err, const char *p, size_t n, const char *why)
{
	return ls_error_set(err, LS_EDATA, NULL, 0, 0, "bad amount '%.*s'%s: %s",
	    (int)(n > SHOW ? SHOW : n), p, n > SHOW ? "..." : "", why);
}

static int
overflow(struct ls_error *err)
{
	return ls_error_set(err, LS_EDATA, NULL, 0, 0, "amount overflow");
}

static int
badscale(struct ls_error *err, int scale)
{
	return ls_error_set(err, LS_EUSAGE, NULL, 0, 0,
	    "money scale %d out of range 0..%d", scale, LS_MONEY_MAX_SCALE);
}

/*
 * Length of the blank at s (space, tab, U+00A0, U+202F in UTF-8), or 0.
 * Excel in Russian locales groups digits with the no-break variants.
 */
static size_t
blank_at(const char *s, const char *e)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t left = (size_t)(e - s);

	if (left >= 1 && (u[0] == ' ' || u[0] == '\t'))
		return 1;
	if (left >= 2 && u[0] == 0xc2 && u[1] == 0xa0)
		return 2;
	if (left >= 3 && u[0] == 0xe2 && u[1] == 0x80 && u[2] == 0xaf)
		return 3;
	return 0;
}

/* Same as blank_at() but for the blank that ends right before e. */
static size_t
blank_before(const char *s, const char *e)
{
	const unsigned char *u = (const unsigned char *)e;
	size_t left = (size_t)(e - s);

	if (left >= 1 && (u[-1] == ' ' || u[-1] == '\t'))
		return 1;
	if (left >= 2 && u[-2] == 0xc2 && u[-1] == 0xa0)
		return 2;
	if (left >= 3 && u[-3] == 0xe2 && u[-2] == 0x80 && u[-1] == 0xaf)
		return 3;
	return 0;
}

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

int
ls_money_parse(const char *p, size_t n, int scale, unsigned flags,
    int64_t *out, struct ls_error *err)
{
	const char *s = p, *e = p + n, *sep = NULL;
	char dec = (flags & LS_MONEY_DECIMAL_COMMA) ? ',' : '.';
	uint64_t v = 0;
	size_t k, seplen = 0;
	int neg = 0, gdig = 0, ngroups = 0, nfrac = 0, extra = 0, first_extra = 0;
	int ndropped = 0;

	if (scale < 0 || scale > LS_MONEY_MAX_SCALE)
		return badscale(err, scale);
	while (s < e && (k = blank_at(s, e)) > 0)
		s += k;
	while (e > s && (k = blank_before(s, e)) > 0)
		e -= k;
	if (s == e)
		return bad(err, p, n, "empty");
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (s == e || !isdig(*s))
		return bad(err, p, n, "expected a digit");

	/* Integer part, in whole units; scaled once it is complete. */
	while (s < e) {
		if (isdig(*s)) {
			if (v > ((uint64_t)INT64_MAX - (uint64_t)(*s - '0')) / 10)
				return overflow(err);
			v = v * 10 + (uint64_t)(*s - '0');
			gdig++;
			s++;
			continue;
		}
		k = blank_at(s, e);
		if (k == 0 && *s == ',' && dec == '.')
			k = 1;
		if (k == 0)
			break;
		if (ngroups == 0 ? gdig > 3 : gdig != 3)
			return bad(err, p, n, "digit groups must have 3 digits");
		if (sep == NULL) {
			sep = s;
			seplen = k;
		} else if (k != seplen || memcmp(s, sep, k) != 0)
			return bad(err, p, n, "mixed digit group separators");
		ngroups++;
		gdig = 0;
		s += k;
		if (s == e || !isdig(*s))
			return bad(err, p, n, "expected a digit after a group separator");
	}
	if (ngroups > 0 && gdig != 3)
		return bad(err, p, n, "digit groups must have 3 digits");
	if (v > (uint64_t)INT64_MAX / (uint64_t)pow10tab[scale])
		return overflow(err);
	v *= (uint64_t)pow10tab[scale];

	if (s < e && *s == dec) {
		s++;
		if (s == e || !isdig(*s))
			return bad(err, p, n, "expected a digit after the decimal separator");
		for (; s < e && isdig(*s); s++) {
			if (nfrac < scale) {
				v += (uint64_t)(*s - '0') *
				    (uint64_t)pow10tab[scale - 1 - nfrac];
				if (v > (uint64_t)INT64_MAX)
					return overflow(err);
				nfrac++;
			} else {
				/* Only the first dropped digit decides half away from zero. */
				if (ndropped++ == 0)
					first_extra = *s - '0';
				if (*s != '0')
					extra = 1;
			}
		}
	}
	if (s < e) {
		if (*s == '.' && dec == ',')
			return bad(err, p, n, "'.' in a decimal comma amount");
		if (*s == ',' && dec == '.')
			return bad(err, p, n, "unexpected ','");
		return bad(err, p, n, "unexpected character");
	}
	if (extra) {
		if (!(flags & LS_MONEY_ROUND))
			return bad(err, p, n, scale == 0 ?
			    "no decimals allowed" : "too many decimals");
		if (first_extra >= 5 && ++v > (uint64_t)INT64_MAX)
			return overflow(err);
	}
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int
ls_money_format(int64_t v, int scale, char *buf, size_t size)
{
	return ls_money_format_ex(v, scale, NULL, buf, size);
}

int
ls_money_format_ex(int64_t v, int scale, const struct ls_money_fmt *f,
    char *buf, size_t size)
{
	char tmp[LS_MONEY_BUFSZ], *q = tmp + sizeof(tmp);
	const char *group = f && f->group ? f->group : "";
	char dec = f && f->decimal ? f->decimal : '.';
	size_t glen = strlen(group), len;
	uint64_t u;
	int i, ndig = 0;

	if (size > 0)
		buf[0] = '\0';
	if (scale < 0 || scale > LS_MONEY_MAX_SCALE || glen > 4)
		return LS_EUSAGE;
	/* Negate in unsigned arithmetic: -INT64_MIN does not exist. */
	u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	*--q = '\0';
	for (i = 0; i < scale; i++) {
		*--q = (char)('0' + u % 10);
		u /= 10;
	}
	if (scale > 0)
		*--q = dec;
	do {
		if (ndig > 0 && ndig % 3 == 0) {
			q -= glen;
			memcpy(q, group, glen);
		}
		*--q = (char)('0' + u % 10);
		u /= 10;
		ndig++;
	} while (u > 0);
	if (v < 0)
		*--q = '-';
	len = (size_t)(tmp + sizeof(tmp) - q);
	if (len > size)
		return LS_EUSAGE;
	memcpy(buf, q, len);
	return 0;
}

int
ls_money_add(int64_t a, int64_t b, int64_t *out, struct ls_error *err)
{
	if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < -INT64_MAX - b))
		return overflow(err);
	*out = a + b;
	return 0;
}

/*
 * round(a * b / d) half away from zero, for d != 0, into [-INT64_MAX,
 * INT64_MAX].  The product needs 128 bits; the compiler's type is used
 * where there is one, else a schoolbook version of the same.
 */
#if defined(__SIZEOF_INT128__) && !defined(LS_NO_INT128)
__extension__ typedef unsigned __int128 u128;

static int
muldiv(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	int neg = (a < 0) != (b < 0) && a != 0 && b != 0;
	uint64_t ua = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
	uint64_t ub = b < 0 ? (uint64_t)0 - (uint64_t)b : (uint64_t)b;
	uint64_t ud = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
	u128 p = (u128)ua * ub, q, r;

	if (d < 0)
		neg = !neg;
	q = p / ud;
	r = p % ud;
	/* r >= d - r is 2r >= d without overflowing. */
	if (r >= ud - r)
		q++;
	if (q > (u128)INT64_MAX)
		return -1;
	*out = neg ? -(int64_t)q : (int64_t)q;
	return 0;
}
#else
static int
muldiv(int64_t a, int64_t b, int64_t d, int64_t *out)
{
	int neg = (a < 0) != (b < 0) && a != 0 && b != 0;
	uint64_t ua = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
	uint64_t ub = b < 0 ? (uint64_t)0 - (uint64_t)b : (uint64_t)b;
	uint64_t ud = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
	uint64_t a0 = ua & 0xffffffffu, a1 = ua >> 32;
	uint64_t b0 = ub & 0xffffffffu, b1 = ub >> 32;
	uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
	uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
	uint64_t lo = (p00 & 0xffffffffu) | (mid << 32);
	uint64_t hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
	uint64_t q = 0, r;
	int i;

	if (d < 0)
		neg = !neg;
	/* A quotient of 2^64 or more cannot fit anyway. */
	if (hi >= ud)
		return -1;
	/* ud <= 2^63, so r < ud keeps r << 1 within 64 bits. */
	r = hi;
	for (i = 63; i >= 0; i--) {
		r = (r << 1) | ((lo >> i) & 1);
		q <<= 1;
		if (r >= ud) {
			r -= ud;
			q |= 1;
		}
	}
	if (q > (uint64_t)INT64_MAX)
		return -1;
	if (r >= ud - r)
		q++;
	if (q > (uint64_t)INT64_MAX)
		return -1;
	*out = neg ? -(int64_t)q : (int64_t)q;
	return 0;
}
#endif

int
ls_money_mul(int64_t amount, int64_t qty, int qty_scale, int64_t *out,
    struct ls_error *err)
{
	if (qty_scale < 0 || qty_scale > LS_MONEY_MAX_SCALE)
		return badscale(err, qty_scale);
	if (muldiv(amount, qty, pow10tab[qty_scale], out) != 0)
		return overflow(err);
	return 0;
}

int
ls_money_percent(int64_t amount, int64_t rate, int rate_scale, int64_t *out,
    struct ls_error *err)
{
	if (rate_scale < 0 || rate_scale > LS_MONEY_MAX_SCALE)
		return badscale(err, rate_scale);
	if (muldiv(amount, rate, 100 * pow10tab[rate_scale], out) != 0)
		return overflow(err);
	return 0;
}

int
ls_money_vat(int64_t amount, int64_t rate, int rate_scale,
    enum ls_vat_mode mode, int64_t *out, struct ls_error *err)
{
	int64_t hundred;

	if (rate_scale < 0 || rate_scale > LS_MONEY_MAX_SCALE)
		return badscale(err, rate_scale);
	/* A negative rate would also allow a zero divisor in included mode. */
	if (rate < 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "negative VAT rate");
	if (mode == LS_VAT_ADDED)
		return ls_money_percent(amount, rate, rate_scale, out, err);
	hundred = 100 * pow10tab[rate_scale];
	if (rate > INT64_MAX - hundred)
		return overflow(err);
	if (muldiv(amount, rate, hundred + rate, out) != 0)
		return overflow(err);
	return 0;
}

int
ls_money_div_round(int64_t num, int64_t den, int64_t *out,
    struct ls_error *err)
{
	if (den == 0)
		return ls_error_set(err, LS_EDATA, NULL, 0, 0, "division by zero");
	if (muldiv(num, 1, den, out) != 0)
		return overflow(err);
	return 0;
}

int
ls_money_rescale(int64_t v, int from, int to, int64_t *out,
    struct ls_error *err)
{
	if (from < 0 || from > LS_MONEY_MAX_SCALE)
		return badscale(err, from);
	if (to < 0 || to > LS_MONEY_MAX_SCALE)
		return badscale(err, to);
	if (to >= from) {
		if (muldiv(v, pow10tab[to - from], 1, out) != 0)
			return overflow(err);
	} else if (muldiv(v, 1, pow10tab[from - to], out) != 0)
		return overflow(err);
	return 0;
}

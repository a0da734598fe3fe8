/* phone.c - telephone numbers to E.164; the rules are in phone.h, the ranges in phone_data.c. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "error.h"
#include "phone_data.h"
#include "phone_int.h"

/*
 * A number of a country not checked needs E.164's 8 to 15 digits; a number
 * in a country's ranges may have more where its plan allows them (German
 * numbers of 17, libphonenumber's 17-digit national numbers).
 */
#define E164_MIN	8
#define E164_MAX	15
#define DIGITS_MAX	(LS_PHONE_MAX - 2)

enum { C_BAD = LS_PH_BAD, C_DIGIT = LS_PH_DIGIT, C_PLUS = LS_PH_PLUS, C_SEP = LS_PH_SEP,
	C_ALPHA = LS_PH_ALPHA, C_HASH = LS_PH_HASH, C_BROKEN = LS_PH_BROKEN };

/* The phone keypad's digit of each letter, A to Z (ITU E.161). */
static const char keypad[26] = "22233344455566677778889999";

/* Decode one UTF-8 character at s[0..n): its code point and length, or 0 when malformed. */
static size_t
utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t k, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < k)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((k == 3 && c < 0x800) || (k == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return k;
}

/*
 * Classify the character at s[0..n) and set *len to its length in bytes
 * (*digit to its value for C_DIGIT).  Formatting: ASCII space, tab, - . ( ) /
 * [ ], every Unicode dash (category Pd) and minus sign (what word
 * processors and web pages make of '-'), the no-break, thin and other
 * Unicode spaces, the zero-width characters and the soft hyphen, and the
 * full-width forms of ( ) . /; full-width digits and '+' count as digits
 * and '+'.
 */
static int
classify(const unsigned char *s, size_t n, size_t *len, int *digit)
{
	uint32_t c;

	if (s[0] >= '0' && s[0] <= '9') {
		*len = 1;
		*digit = s[0] - '0';
		return C_DIGIT;
	}
	if (s[0] < 0x80) {
		*len = 1;
		switch (s[0]) {
		case '+':
			return C_PLUS;
		case ' ': case '\t': case '-': case '.': case '(': case ')': case '/':
		case '[': case ']':
			return C_SEP;
		case '#':
			return C_HASH;
		}
		if ((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') {
			*digit = keypad[(s[0] | 0x20) - 'a'] - '0';
			return C_ALPHA;
		}
		return C_BAD;
	}
	if ((*len = utf8(s, n, &c)) == 0) {
		*len = 1;
		return C_BROKEN;
	}
	/* full-width, Arabic-Indic and Eastern Arabic-Indic digits: libphonenumber's digits */
	if ((c >= 0xff10 && c <= 0xff19) || (c >= 0x660 && c <= 0x669) || (c >= 0x6f0 && c <= 0x6f9)) {
		*digit = (int)(c - (c >= 0xff10 ? 0xff10 : c >= 0x6f0 ? 0x6f0 : 0x660));
		return C_DIGIT;
	}
	if (c == 0xff0b)			/* full-width plus */
		return C_PLUS;
	if ((c >= 0x2000 && c <= 0x200d) ||	/* spaces, zero-width space, ZWNJ, ZWJ */
	    (c >= 0x2010 && c <= 0x2015))	/* hyphen ... horizontal bar */
		return C_SEP;
	switch (c) {
	case 0x00a0: case 0x00ad:		/* no-break space, soft hyphen */
	case 0x202f: case 0x205f: case 0x2060:	/* narrow no-break space, math space, word joiner */
	case 0x3000: case 0xfeff:		/* ideographic space, BOM */
	/* the rest of Unicode's dashes (category Pd) */
	case 0x058a: case 0x05be: case 0x1400: case 0x1806: case 0x2e17: case 0x2e1a:
	case 0x2e3a: case 0x2e3b: case 0x2e40: case 0x2e5d: case 0x301c: case 0x3030:
	case 0x30a0: case 0xfe31: case 0xfe32: case 0xfe58: case 0xfe63: case 0xff0d:
	case 0x10ead:
	/* minus signs: U+2212, superscript, subscript, heavy */
	case 0x2212: case 0x207b: case 0x208b: case 0x2796:
	/* full-width ( ) . / */
	case 0xff08: case 0xff09: case 0xff0e: case 0xff0f:
		return C_SEP;
	}
	return C_BAD;
}

/* The calling code that d[0..n) starts with: its index in ls_phone_ccs, or -1. */
static int
find_cc(const char *d, size_t n, size_t *ccl)
{
	unsigned v = 0;
	size_t k;

	for (k = 0; k < 3 && k < n; k++) {
		v = v * 10 + (unsigned)(d[k] - '0');
		unsigned slot = ls_phone_cc_slot[(k == 0 ? 0 : k == 1 ? 10 : 110) + v];
		if (slot != 0) {
			*ccl = k + 1;
			return (int)slot - 1;
		}
	}
	return -1;
}

/* The region in which nsn[0..n) is a valid number of calling code c, or -1. */
static int
nsn_region(const struct ls_phone_cc *c, const char *nsn, size_t n)
{
	uint32_t st = c->start;
	size_t i;

	for (i = 0; i < n && st != 0; i++)
		st = ls_phone_next[st][nsn[i] - '0'];
	return st != 0 && ls_phone_accept[st] != 0 ? ls_phone_accept[st] - 1 : -1;
}

/*
 * The region an invalid number d[0..n) of calling code c is read as: the
 * one whose leading digits it starts with, else the code's main country.
 */
static int
owner(const struct ls_phone_cc *c, const char *d, size_t n)
{
	size_t i, k;

	if (c->nreg > 1)
		for (i = 0; i < ls_phone_nleads; i++) {
			const char *p = ls_phone_leads[i].prefix;
			for (k = 0; p[k] != '\0' && k < n && p[k] == d[k]; k++)
				;
			if (p[k] == '\0')
				return ls_phone_leads[i].region;
		}
	return ls_phone_cc_regions[c->reg_off];
}

static int
checked(int region, const struct ls_phone_opts *o)
{
	size_t i;

	if (o == NULL || o->ncountries == 0)
		return 1;
	for (i = 0; i < o->ncountries; i++)
		if (o->countries[i] == &ls_phone_plans[region])
			return 1;
	return 0;
}

/*
 * Length of the '|'-separated alternative of list (starting at *list) that
 * d[0..n) starts with, advancing *list past it; -1 at the end of the list.
 * An alternative that does not match gives 0.
 */
static long
next_prefix(const char **list, const char *d, size_t n)
{
	const char *p = *list;
	size_t k;
	int ok = 1;

	if (*p == '\0')
		return -1;
	for (k = 0; p[k] != '\0' && p[k] != '|'; k++)
		if (k >= n || d[k] != p[k])
			ok = 0;
	*list = p[k] == '|' ? p + k + 1 : p + k;
	return ok ? (long)k : 0;
}

static int
emit(const char *cc, size_t ccl, const char *nsn, size_t n, char *out)
{
	if (ccl + n > DIGITS_MAX)
		return 0;
	out[0] = '+';
	memcpy(out + 1, cc, ccl);
	memcpy(out + 1 + ccl, nsn, n);
	out[ccl + n + 1] = '\0';
	return 1;
}

/*
 * d[0..n) as international digits (calling code first).  When the NSN is
 * not valid, a trunk prefix of the code's regions kept after it ("+7 8 916",
 * "+44 (0)20") is dropped if that gives a valid number.  A national form
 * (natform != 0) is always checked; an international number whose region
 * is not checked needs only a plausible E.164 length.
 */
static int
international(const char *d, size_t n, const struct ls_phone_opts *o, int natform, char *out)
{
	const struct ls_phone_cc *c;
	const char *nsn, *t, *prev = "";
	size_t ccl, nn, i;
	long k, min;
	int ci;

	if ((ci = find_cc(d, n, &ccl)) < 0)
		return 0;
	c = &ls_phone_ccs[ci];
	nsn = d + ccl;
	nn = n - ccl;
	if (nn == 0)
		return 0;
	if (nsn_region(c, nsn, nn) >= 0)
		return emit(c->cc, ccl, nsn, nn, out);
	/* not below the main country's shortest NSN: "+1 1 310 1234" is no 7-digit CA UAN */
	min = ls_phone_plans[ls_phone_cc_regions[c->reg_off]].nsn_min;
	for (i = 0; i < c->nreg; i++) {
		t = ls_phone_plans[ls_phone_cc_regions[c->reg_off + i]].trunk;
		if (strcmp(t, prev) == 0)	/* the 25 NANP regions all have "1" */
			continue;
		prev = t;
		while ((k = next_prefix(&t, nsn, nn)) >= 0)
			if (k > 0 && (long)nn - k >= min && nsn_region(c, nsn + k, nn - (size_t)k) >= 0)
				return emit(c->cc, ccl, nsn + k, nn - (size_t)k, out);
	}
	if (natform || checked(owner(c, d, n), o) || n < E164_MIN || n > E164_MAX)
		return 0;
	return emit(c->cc, ccl, nsn, nn, out);
}

/* d[0..n) as a national number of region p: a valid NSN after p's calling code. */
static int
national(const struct ls_phone_plan *p, const char *d, size_t n, char *out)
{
	size_t ccl;
	int ci;

	if ((ci = find_cc(p->cc, strlen(p->cc), &ccl)) < 0 || n == 0)
		return 0;
	if (nsn_region(&ls_phone_ccs[ci], d, n) < 0)
		return 0;
	return emit(p->cc, ccl, d, n, out);
}

int
ls_phone_char(const unsigned char *s, size_t n, size_t *len, int *digit)
{
	return classify(s, n, len, digit);
}

int
ls_phone_read(const char *d, size_t nd, int plus, const struct ls_phone_opts *o, char *out)
{
	const struct ls_phone_plan *p;
	const char *t;
	size_t k;
	long m;

	out[0] = '\0';
	if (nd == 0)
		return LS_EDATA;
	if (plus)
		return international(d, nd, o, 0, out) ? 0 : LS_EDATA;

	/*
	 * "00" is an international prefix everywhere (no national number is
	 * dialled with it), the default country's own ("8 10", "011") too.
	 * When the digits after it make no number, the national readings
	 * below still get their turn.
	 */
	p = o != NULL ? o->default_country : NULL;
	if (nd > 2 && d[0] == '0' && d[1] == '0' && international(d + 2, nd - 2, o, 0, out))
		return 0;
	if (p == NULL)
		return LS_EDATA;
	for (t = p->intl; (m = next_prefix(&t, d, nd)) >= 0; )
		if (m > 0 && international(d + m, nd - (size_t)m, o, 0, out))
			return 0;

	/*
	 * National readings, the first valid one wins: after a trunk prefix
	 * ("8 916 ..." in RU, "0 30 ..." in DE; the longest first), as it
	 * stands ("916 ..."), then after the calling code written without '+'
	 * ("7 916 ..."; DE "49 170 0462612" is thus +49 491 7004 62612, a
	 * Leer number, as libphonenumber reads it, and not +49 170 ...).
	 */
	for (t = p->trunk; (m = next_prefix(&t, d, nd)) >= 0; )
		if (m > 0 && national(p, d + m, nd - (size_t)m, out))
			return 0;
	if (national(p, d, nd, out))
		return 0;
	for (k = 0; p->cc[k] != '\0' && k < nd && d[k] == p->cc[k]; k++)
		;
	if (p->cc[k] == '\0' && international(d, nd, o, 1, out))
		return 0;
	out[0] = '\0';
	return LS_EDATA;
}

/*
 * The usual cell, digits and formatting only, is read here in one pass;
 * anything else (a letter, a word, a second '+') sends the cell to
 * ls_phone_cell(), which finds the number among the words.
 */
int
ls_phone_parse(const char *in, size_t n, const struct ls_phone_opts *o, char *out, size_t outsz,
    struct ls_phone_span *where)
{
	const unsigned char *s = (const unsigned char *)in;
	char d[LS_PH_MAXDIGITS];
	size_t i, k, nd = 0;
	int plus = 0, after_plus = 0, v = 0;

	if (out == NULL || outsz < LS_PHONE_MAX)
		return LS_EUSAGE;
	out[0] = '\0';
	if (where != NULL) {
		where->start = 0;
		where->end = n;
	}
	for (i = 0; i < n; i += k) {
		switch (classify(s + i, n - i, &k, &v)) {
		case C_DIGIT:
			if (nd == LS_PH_MAXDIGITS)
				return LS_EDATA;
			d[nd++] = (char)('0' + v);
			after_plus = 0;
			break;
		case C_PLUS:
			/* "++7": a doubled plus is a slip; "+ +7" and a '+' after a digit are not */
			if (nd > 0 || (plus && !after_plus))
				return ls_phone_cell(in, n, o, out, where);
			plus = after_plus = 1;
			break;
		case C_SEP:
			after_plus = 0;
			/* "030 1234 / 030 5678": two numbers, refused there */
			if ((s[i] == '/' || s[i] == '\\') && i > 0 && s[i - 1] == ' ' && i + 1 < n && s[i + 1] == ' ')
				return ls_phone_cell(in, n, o, out, where);
			break;
		default:
			return ls_phone_cell(in, n, o, out, where);
		}
	}
	if (nd == 0 || ls_phone_read(d, nd, plus, o, out) != 0)
		return LS_EDATA;
	/* "30.12.2024" is a valid Berlin number to the ranges, and a date to whoever wrote it */
	if (!plus && nd >= 6 && nd <= 8 && ls_phone_is_date(in, n)) {
		out[0] = '\0';
		return LS_EDATA;
	}
	return 0;
}

int
ls_phone_normalize(const char *in, size_t n, const struct ls_phone_opts *o,
    char *out, size_t outsz)
{
	return ls_phone_parse(in, n, o, out, outsz, NULL);
}

const struct ls_phone_plan *
ls_phone_country(const char *alpha2)
{
	size_t lo = 0, hi = ls_phone_ngeo, i;
	char u[3];
	int c;

	if (alpha2 == NULL || strlen(alpha2) != 2)
		return NULL;
	for (i = 0; i < 2; i++)
		u[i] = alpha2[i] >= 'a' && alpha2[i] <= 'z' ? alpha2[i] - 'a' + 'A' : alpha2[i];
	u[2] = '\0';
	while (lo < hi) {
		i = lo + (hi - lo) / 2;
		if ((c = strcmp(ls_phone_plans[i].alpha2, u)) == 0)
			return &ls_phone_plans[i];
		if (c < 0)
			lo = i + 1;
		else
			hi = i;
	}
	return NULL;
}

const struct ls_phone_plan *
ls_phone_plan_at(size_t i)
{
	return i < ls_phone_ngeo ? &ls_phone_plans[i] : NULL;
}

/*
 * expr_eval.c - the condition language of expr.h, second half: evaluating
 * a parsed expression (expr_int.h) against a row's slots, allocating
 * nothing, and the number syntax that the parser shares (ls_expr_num()).
 * This is lead-qualify's hot path: every rule, every lead.
 */
#include <locale.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "expr_int.h"

/* Longer values never count as numbers: they are parsed in a stack buffer. */
#define NUMMAX		64
/* Without REG_STARTEND, values are copied here to get their NUL; longer ones are cut. */
#define REBUF		4096

static const double pow10tab[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/*
 * Is s[0..n) a plain decimal number ([+-]digits[.digits][e[+-]digits])?
 * strtod alone would also take " 5", "inf", "nan", "0x1p3", and reads the
 * decimal point of the locale the tool set (',' in ru_RU), so the syntax is
 * checked here and the usual case converted exactly without strtod
 * (Clinger's fast path: at most 15 digits times an exact power of ten).
 */
int
ls_expr_num(const char *s, size_t n, double *out)
{
	char buf[NUMMAX + 8];
	const char *dp;
	size_t i = 0, ndig = 0, nsig = 0, k, dplen;
	uint64_t m = 0;
	long e10 = 0, x = 0;
	int neg = 0, seendot = 0, xneg = 0;
	double v;
	char *end;

	if (n == 0 || n >= NUMMAX)
		return 0;
	/* most numbers in a lead file are whole and short: exact as they come */
	if (n <= 15) {
		for (; i < n && (unsigned char)(s[i] - '0') <= 9; i++)
			m = m * 10 + (uint64_t)(s[i] - '0');
		if (i == n) {
			*out = (double)m;
			return 1;
		}
		i = 0;
		m = 0;
	}
	if (s[0] == '+' || s[0] == '-')
		neg = s[i++] == '-';
	for (; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9') {
			ndig++;
			if (m == 0 && s[i] == '0') {
				if (seendot)
					e10--;
				continue;
			}
			if (++nsig <= 15) {
				m = m * 10 + (uint64_t)(s[i] - '0');
				if (seendot)
					e10--;
			} else if (!seendot)
				e10++;
		} else if (s[i] == '.' && !seendot)
			seendot = 1;
		else
			break;
	}
	if (ndig == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			xneg = s[i++] == '-';
		if (i == n)
			return 0;
		for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			if (x < 100000)
				x = x * 10 + (s[i] - '0');
	}
	if (i != n)
		return 0;
	e10 += xneg ? -x : x;
	if (nsig <= 15 && e10 >= -22 && e10 <= 22) {
		v = (double)m;
		if (e10 >= 0)
			v *= pow10tab[e10];
		else
			v /= pow10tab[-e10];
		*out = neg ? -v : v;
		return 1;
	}
	/* Rare: long mantissa or big exponent; let strtod round, in its locale. */
	dp = localeconv()->decimal_point;
	dplen = dp && *dp ? strlen(dp) : 0;
	if (dplen == 0 || dplen > 4) {
		dp = ".";
		dplen = 1;
	}
	for (i = 0, k = 0; i < n; i++) {
		if (s[i] == '.') {
			memcpy(buf + k, dp, dplen);
			k += dplen;
		} else
			buf[k++] = s[i];
	}
	buf[k] = '\0';
	v = strtod(buf, &end);
	if (end != buf + k)
		return 0;
	*out = v;
	return 1;
}

static void
getslot(const struct ls_str *slots, size_t nslots, long i, const char **p, size_t *n)
{
	if (slots == NULL || i < 0 || (size_t)i >= nslots || slots[i].p == NULL) {
		*p = "";
		*n = 0;
	} else {
		*p = slots[i].p;
		*n = slots[i].n;
	}
}

/* Numbers when both are numbers, else bytes (a shorter prefix sorts first). */
static int
compare(const char *a, size_t an, int anum, double ad, const char *b, size_t bn, int bnum, double bd)
{
	size_t m;
	int c;

	if (anum && bnum)
		return (ad > bd) - (ad < bd);
	m = an < bn ? an : bn;
	c = m ? memcmp(a, b, m) : 0;
	if (c != 0)
		return c < 0 ? -1 : 1;
	return (an > bn) - (an < bn);
}

/* a[0..n) == b[0..n): values and words in rules are short, shorter than a call to memcmp is worth */
static inline int
same(const char *a, const char *b, size_t n)
{
	if (n > 16)
		return memcmp(a, b, n) == 0;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

static int
match(const regex_t *re, const char *s, size_t n)
{
#ifdef REG_STARTEND
	regmatch_t m[1];

	/* glibc and the BSDs bound the subject by pmatch[0]: no copy, no NUL needed. */
	m[0].rm_so = 0;
	m[0].rm_eo = (regoff_t)n;
	return regexec(re, s, 1, m, REG_STARTEND) == 0;
#else
	char buf[REBUF];

	if (n >= sizeof(buf))
		n = sizeof(buf) - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return regexec(re, buf, 0, NULL, 0) == 0;
#endif
}

static int
leaf(const struct ls_expr *e, const struct node *nd, const struct ls_str *slots, size_t nslots)
{
	const struct lit *l;
	const char *s, *r;
	size_t sn, rn, i;
	double sd = 0, rd = 0;
	int snum, rnum, c;

	getslot(slots, nslots, nd->slot, &s, &sn);
	switch (nd->op) {
	case OP_EMPTY:
		return sn == 0;
	case OP_NOTEMPTY:
		return sn != 0;
	case OP_MATCH:
		return match(e->res[nd->a], s, sn);
	case OP_IN:
	case OP_NOTIN:
		/*
		 * compare() == 0, taken apart: numbers are equal as numbers when
		 * both are numbers, else as bytes; the value is parsed as a number
		 * only when a literal is one (most lists hold words).
		 */
		snum = -1;
		for (i = 0; i < nd->b; i++) {
			l = &e->lits[nd->a + i];
			if (l->isnum && snum < 0)
				snum = ls_expr_num(s, sn, &sd);
			if (l->isnum && snum ? sd == l->num :
			    l->len == sn && same(s, e->pool + l->off, sn))
				return nd->op == OP_IN;
		}
		return nd->op == OP_NOTIN;
	default:
		break;
	}
	/* against a literal that is no number the value is compared as bytes: no need to parse it */
	snum = nd->rslot || e->lits[nd->a].isnum ? ls_expr_num(s, sn, &sd) : 0;
	if (nd->rslot) {
		getslot(slots, nslots, nd->r, &r, &rn);
		rnum = snum && ls_expr_num(r, rn, &rd);
	} else {
		l = &e->lits[nd->a];
		r = e->pool + l->off;
		rn = l->len;
		rnum = l->isnum;
		rd = l->num;
	}
	/* equality as bytes: no order needed, and most values differ in length */
	if ((nd->op == OP_EQ || nd->op == OP_NE) && !(snum && rnum))
		return (sn == rn && same(s, r, sn)) == (nd->op == OP_EQ);
	c = compare(s, sn, snum, sd, r, rn, rnum, rd);
	switch (nd->op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	default: return 0;
	}
}

/*
 * leaf() for a leaf marked bytes: what leaf() does for it, without the
 * numbers' state, whose set-up cost more than the comparison itself.
 */
static inline int
leaf_bytes(const struct ls_expr *e, const struct node *nd, const struct ls_str *slots,
    size_t nslots)
{
	const struct lit *l;
	const char *s;
	size_t sn;

	getslot(slots, nslots, nd->slot, &s, &sn);
	if (nd->op == OP_EQ || nd->op == OP_NE) {
		l = &e->lits[nd->a];
		return (l->len == sn && same(s, e->pool + l->off, sn)) == (nd->op == OP_EQ);
	}
	/* indexed in the loop: an empty list may have no literals at all (lits NULL) */
	for (size_t i = 0; i < nd->b; i++) {
		l = &e->lits[nd->a + i];
		if (l->len == sn && same(s, e->pool + l->off, sn))
			return nd->op == OP_IN;
	}
	return nd->op == OP_NOTIN;
}

static int
eval(const struct ls_expr *e, size_t i, const struct ls_str *slots, size_t nslots)
{
	const struct node *nd;

	for (;;) {
		nd = &e->nodes[i];
		switch (nd->op) {
		case OP_OR:
			if (eval(e, nd->a, slots, nslots))
				return 1;
			i = nd->b;
			break;
		case OP_AND:
			if (!eval(e, nd->a, slots, nslots))
				return 0;
			i = nd->b;
			break;
		case OP_NOT:
			return !eval(e, nd->a, slots, nslots);
		default:
			return nd->bytes ? leaf_bytes(e, nd, slots, nslots) : leaf(e, nd, slots, nslots);
		}
	}
}

int
ls_expr_eval(const struct ls_expr *e, const struct ls_str *slots, size_t nslots)
{
	const struct node *nd;

	if (e == NULL || e->nnodes == 0)
		return 0;
	/* a rule is most often one comparison: no walk of the tree for it */
	nd = &e->nodes[e->root];
	if (nd->op != OP_OR && nd->op != OP_AND && nd->op != OP_NOT)
		return nd->bytes ? leaf_bytes(e, nd, slots, nslots) : leaf(e, nd, slots, nslots);
	return eval(e, e->root, slots, nslots);
}

/*
 * xlsx_cell.c - what an .xlsx cell's value becomes as text: numbers,
 * dates and times by the cell's number format, Excel's escapes, cell
 * references.  The rules are libsales-formats(5)'s ".xlsx input".
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "xlsx_impl.h"

enum ls_xlsx_kind
ls_xlsx_builtin_kind(long id)
{
	if (id >= 14 && id <= 17)
		return LS_XK_DATE;
	if (id == 22)
		return LS_XK_DATETIME;
	if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
		return LS_XK_TIME;
	return LS_XK_NUMBER;
}

enum ls_xlsx_kind
ls_xlsx_format_kind(const char *code)
{
	char tok[64];
	size_t nt = 0;
	int date = 0, time = 0;

	/*
	 * Only the first section counts (the one for positive numbers); the
	 * letters of a date are those outside "quoted text", [colours and
	 * locales], \escaped and _padding *fill characters, and AM/PM.
	 */
	for (const char *p = code; *p && *p != ';'; p++) {
		int c = tolower((unsigned char)*p);
		if (*p == '"') {
			while (p[1] && p[1] != '"')
				p++;
			if (p[1])
				p++;
		} else if (*p == '[') {
			/* [h]:mm:ss is elapsed time; any other bracket is a colour, locale or condition */
			int elapsed = (p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 'M' ||
			    p[1] == 's' || p[1] == 'S');
			if (elapsed)
				time = 1;
			while (p[1] && p[1] != ']')
				p++;
			if (p[1])
				p++;
		} else if (*p == '\\' || *p == '_' || *p == '*') {
			if (p[1])
				p++;
		} else if (strncasecmp(p, "am/pm", 5) == 0) {
			p += 4;
		} else if (strncasecmp(p, "a/p", 3) == 0) {
			p += 2;
		} else if (c == 'd' || c == 'y' || c == 'm' || c == 'h' || c == 's') {
			if (nt < sizeof(tok) && (nt == 0 || tok[nt - 1] != c))
				tok[nt++] = (char)c;
		}
	}
	for (size_t i = 0; i < nt; i++) {
		if (tok[i] == 'd' || tok[i] == 'y')
			date = 1;
		else if (tok[i] == 'h' || tok[i] == 's')
			time = 1;
		else if ((i > 0 && tok[i - 1] == 'h') || (i + 1 < nt && tok[i + 1] == 's'))
			time = 1;	/* m after h or before s: minutes */
		else
			date = 1;	/* m elsewhere: the month */
	}
	if (date && time)
		return LS_XK_DATETIME;
	return date ? LS_XK_DATE : time ? LS_XK_TIME : LS_XK_NUMBER;
}

/* d written as plain digits from its shortest round-trip spelling. */
static int
put_double(struct ls_buf *b, double d)
{
	char e[40], out[400];
	char digits[20];
	size_t nd = 0, o = 0;
	int prec, exp10;

	if (d == 0)
		return ls_buf_put(b, "0", 1);	/* -0 too: a sign on nothing is noise */
	/* 15 significant digits always read back to the decimal they came from; then 16, 17 */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(e, sizeof(e), "%.*e", prec - 1, d);
		if (strtod(e, NULL) == d)
			break;
	}
	const char *p = e;
	if (*p == '-')
		out[o++] = *p++;
	for (; *p && *p != 'e'; p++)
		if (isdigit((unsigned char)*p))
			digits[nd++] = *p;
	exp10 = atoi(p + 1);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	/* digits d1 d2 ... with the point after d1, shifted by exp10 */
	if (exp10 < 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (int i = -1; i > exp10; i--)
			out[o++] = '0';
		memcpy(out + o, digits, nd);
		o += nd;
	} else {
		for (long i = 0; i <= exp10 || (size_t)i < nd; i++) {
			if (i == (long)exp10 + 1)
				out[o++] = '.';
			out[o++] = (size_t)i < nd ? digits[i] : '0';
		}
	}
	return ls_buf_put(b, out, o);
}

/*
 * The common case without strtod and snprintf: a plain decimal of at most
 * 15 significant digits is already the shortest spelling of its double
 * (two such decimals never share one), once its extra zeros are dropped.
 * Returns 1 when v was one and was written.
 */
static int
put_plain(struct ls_buf *b, const char *v, int *rc)
{
	const char *p = v, *ip, *ie, *fp = NULL, *fe = NULL;
	char out[48];
	size_t o = 0, sig = 0;
	int neg = 0;

	if (*p == '-')
		neg = 1, p++;
	ip = p;
	while (*p >= '0' && *p <= '9')
		p++;
	ie = p;
	if (*p == '.') {
		fp = ++p;
		while (*p >= '0' && *p <= '9')
			p++;
		fe = p;
	}
	if (*p != '\0' || (ie == ip && (fp == NULL || fe == fp)) || p - v > 40)
		return 0;
	while (ip < ie && *ip == '0')
		ip++;
	while (fp != NULL && fe > fp && fe[-1] == '0')
		fe--;
	sig = (size_t)(ie - ip) + (fp ? (size_t)(fe - fp) : 0);
	if (sig > 15)
		return 0;
	if (sig == 0) {
		*rc = ls_buf_put(b, "0", 1);
		return 1;
	}
	if (neg)
		out[o++] = '-';
	if (ie == ip)
		out[o++] = '0';
	memcpy(out + o, ip, (size_t)(ie - ip));
	o += (size_t)(ie - ip);
	if (fp != NULL && fe > fp) {
		out[o++] = '.';
		memcpy(out + o, fp, (size_t)(fe - fp));
		o += (size_t)(fe - fp);
	}
	*rc = ls_buf_put(b, out, o);
	return 1;
}

/*
 * The common spelling of a cell's number, [-]digits[.digits], read
 * without strtod: when its digits make an integer m below 2^53 and it has
 * k <= 22 decimals, m and 10^k are exact doubles and m / 10^k is the
 * correctly rounded quotient, the very double strtod gives (Clinger's
 * fast path).  Returns 1 with *d set, 0 for anything else (spaces, an
 * exponent, more digits), which goes to strtod.
 */
static int
fast_double(const char *v, double *d)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };
	const char *p = v;
	uint64_t m = 0;
	int k = -1, nd = 0, neg = *p == '-';

	p += neg;
	for (;; p++) {
		if (*p >= '0' && *p <= '9') {
			if (m > (((uint64_t)1 << 53) - 9) / 10)
				return 0;	/* m * 10 + 9 could pass 2^53: strtod knows better */
			m = m * 10 + (uint64_t)(*p - '0');
			nd++;
			k += k >= 0;
		} else if (*p == '.' && k < 0) {
			k = 0;
		} else {
			break;
		}
	}
	if (*p != '\0' || nd == 0 || k > 22)
		return 0;
	*d = k > 0 ? (double)m / p10[k] : (double)m;
	if (neg)
		*d = -*d;
	return 1;
}

int
ls_xlsx_parse_double(const char *v, double *d)
{
	char *end;

	if (fast_double(v, d))
		return 0;
	while (*v == ' ')
		v++;
	if (*v == '\0')
		return -1;
	errno = 0;
	*d = strtod(v, &end);
	while (*end == ' ')
		end++;
	/* inf and nan are no cell value; strtod would take them (and hex) */
	if (*end != '\0' || !isfinite(*d) || strpbrk(v, "xXnNiI") != NULL)
		return -1;
	return 0;
}

int
ls_xlsx_put_number(struct ls_buf *b, const char *v)
{
	double d;
	int rc = 0;

	if (put_plain(b, v, &rc))
		return rc;
	if (ls_xlsx_parse_double(v, &d) < 0)
		return LS_EDATA;
	return put_double(b, d);
}

/* y-m-d of day z counted from 1970-01-01 (proleptic Gregorian, eras of 400 years). */
static void
civil(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* v (0 <= v < 10^w) as w digits, zero-padded, at out + *n. */
static void
put_digits(char *out, int *n, int v, int w)
{
	for (int i = w - 1; i >= 0; i--, v /= 10)
		out[*n + i] = (char)('0' + v % 10);
	*n += w;
}

int
ls_xlsx_put_date(struct ls_buf *b, const char *v, enum ls_xlsx_kind kind, int date1904)
{
	char out[40];
	double d;
	int y, m, dd, n;

	if (ls_xlsx_parse_double(v, &d) < 0)
		return LS_EDATA;
	/* 2958465 is 9999-12-31 in the 1900 system; beyond it (and before 0) Excel shows ####### */
	if (d < 0 || d >= 2958466)
		return ls_xlsx_put_number(b, v);
	long long secs = llround(d * 86400.0);
	long long day = secs / 86400;
	int s = (int)(secs % 86400);

	/* a date alone is the day the value falls in (to the millisecond): 23:59:59.6 is not the next day */
	if (kind == LS_XK_DATE)
		day = llround(d * 86400000.0) / 86400000;

	/*
	 * A 1900-system serial under 1 is a time of day with no date (what
	 * openpyxl makes of it too): Excel's day 0 would be 1900-01-00.
	 */
	if (!date1904 && day == 0 && kind != LS_XK_TIME)
		kind = LS_XK_TIME;
	if (kind == LS_XK_TIME) {
		/* elapsed-time formats ([h]:mm:ss) count hours past 24 */
		n = snprintf(out, sizeof(out), "%02lld:%02d:%02d", secs / 3600, s / 60 % 60, s % 60);
		return ls_buf_put(b, out, (size_t)n);
	}
	if (date1904) {
		civil(day - 24107, &y, &m, &dd);	/* 1904-01-01 is day -24107 of 1970 */
	} else if (day == 60) {
		/* Lotus 1-2-3's leap day that Excel keeps: serial 60 is 1900-02-29 */
		y = 1900, m = 2, dd = 29;
	} else {
		/* before it, serial 1 is 1900-01-01; after it, the missing day shifts all by one */
		civil(day - (day < 60 ? 25568 : 25569), &y, &m, &dd);
	}
	/* digits by hand: snprintf was most of a date cell's cost (years are 1900..9999 here) */
	n = 0;
	put_digits(out, &n, y, 4);
	out[n++] = '-';
	put_digits(out, &n, m, 2);
	out[n++] = '-';
	put_digits(out, &n, dd, 2);
	if (kind != LS_XK_DATE) {
		out[n++] = ' ';
		put_digits(out, &n, s / 3600, 2);
		out[n++] = ':';
		put_digits(out, &n, s / 60 % 60, 2);
		out[n++] = ':';
		put_digits(out, &n, s % 60, 2);
	}
	return ls_buf_put(b, out, (size_t)n);
}

int
ls_xlsx_put_iso(struct ls_buf *b, const char *v)
{
	const char *t = strchr(v, 'T');
	size_t n;

	if (t == NULL)
		return ls_buf_put(b, v, strlen(v));
	if (ls_buf_put(b, v, (size_t)(t - v)) != 0)
		return LS_ENOMEM;
	/* HH:MM:SS, without fractions of a second or a zone */
	n = strspn(t + 1, "0123456789:");
	if (n > 8)
		n = 8;
	if (n == 8 && strncmp(t + 1, "00:00:00", 8) == 0)
		return 0;
	if (ls_buf_put(b, " ", 1) != 0)
		return LS_ENOMEM;
	return ls_buf_put(b, t + 1, n);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t
ls_xlsx_unescape(char *s, size_t n)
{
	size_t i = 0, o = 0;

	if (memchr(s, '_', n) == NULL)
		return n;
	while (i < n) {
		unsigned cp = 0;
		int ok = i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
		for (int k = 2; ok && k < 6; k++) {
			int h = hexval((unsigned char)s[i + k]);
			ok = h >= 0;
			cp = cp * 16 + (unsigned)(h < 0 ? 0 : h);
		}
		if (!ok || cp == 0 || (cp >= 0xd800 && cp <= 0xdfff)) {
			s[o++] = s[i++];
			continue;
		}
		if (cp < 0x80) {
			s[o++] = (char)cp;
		} else if (cp < 0x800) {
			s[o++] = (char)(0xc0 | cp >> 6);
			s[o++] = (char)(0x80 | (cp & 0x3f));
		} else {
			s[o++] = (char)(0xe0 | cp >> 12);
			s[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			s[o++] = (char)(0x80 | (cp & 0x3f));
		}
		i += 7;
	}
	return o;
}

int
ls_xlsx_cellref(const char *s, long *col, long *row)
{
	long c = 0, r = 0;
	int nl = 0, nd = 0;

	for (; *s >= 'A' && *s <= 'Z'; s++, nl++) {
		if (nl >= 3)
			return -1;
		c = c * 26 + (*s - 'A' + 1);
	}
	for (; *s >= '0' && *s <= '9'; s++, nd++) {
		if (nd >= 7)
			return -1;
		r = r * 10 + (*s - '0');
	}
	if (*s != '\0' || nl == 0 || nd == 0 || c > LS_XLSX_MAXCOL || r < 1 || r > LS_XLSX_MAXROW)
		return -1;
	*col = c - 1;
	*row = r;
	return 0;
}

void
ls_xlsx_colname(long col, char *out)
{
	char tmp[8];
	int n = 0;

	for (col++; col > 0 && n < 7; col = (col - 1) / 26)
		tmp[n++] = (char)('A' + (col - 1) % 26);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

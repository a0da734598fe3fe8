/*
 * phone_cell.c - a number inside a cell with words around it ("tel: +1 905
 * 873 1195", "+7 916 123-45-67 (Иван)", "8 495 123-45-67 доб. 12", "+1 800
 * FLOWERS"), found as libphonenumber's parser extracts one from text, with
 * the refusals of phone.h on top; and the words kept as a note
 * (ls_phone_note()).  phone.c sends a cell here only when it holds
 * something besides digits and formatting, so plain cells never pay for it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "error.h"
#include "phone_int.h"

/*
 * libphonenumber refuses input over 250 UTF-16 units; counting bytes is
 * stricter for Cyrillic words and keeps every accepted cell's note within
 * LS_PHONE_NOTE_MAX.
 */
#define CELL_MAX	250

/* Extension digits after an explicit label ("ext", "доб") and after "x" or "#", as libphonenumber allows. */
#define EXT_EXPLICIT	20
#define EXT_AMBIGUOUS	9
#define EXT_AUTODIAL	15

/* Decode the UTF-8 character at s[0..n): its length, 0 when malformed (checked by the scan before). */
static size_t
cp_at(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t k, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	k = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	if (k > n)
		return 0;
	*cp = s[0] & (0x7f >> k);
	for (i = 1; i < k; i++)
		*cp = *cp << 6 | (s[i] & 0x3f);
	return k;
}

/* The start of the character that ends at s[i] (i > lo). */
static size_t
cp_before(const unsigned char *s, size_t lo, size_t i)
{
	do
		i--;
	while (i > lo && (s[i] & 0xc0) == 0x80);
	return i;
}

/* A lower-case letter for ASCII and Cyrillic capitals; other characters as they are. */
static uint32_t
fold(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0x410 && c <= 0x42f)		/* А-Я */
		return c + 32;
	if (c >= 0x400 && c <= 0x40f)		/* Ѐ-Џ, Ё among them */
		return c + 80;
	return c;
}

static int
is_letter(uint32_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0x400 && c <= 0x4ff) ||
	    (c >= 0xc0 && c <= 0x24f && c != 0xd7 && c != 0xf7);
}

/* Folded s[0..n) equals the lower-case UTF-8 word w. */
static int
word_is(const unsigned char *s, size_t n, const char *w)
{
	const unsigned char *p = (const unsigned char *)w;
	size_t i = 0, j = 0, k, l;
	uint32_t a, b;

	while (i < n && p[j] != '\0') {
		if ((k = cp_at(s + i, n - i, &a)) == 0 || (l = cp_at(p + j, strlen(w) - j, &b)) == 0)
			return 0;
		if (fold(a) != b)
			return 0;
		i += k;
		j += l;
	}
	return i == n && p[j] == '\0';
}

/*
 * Words that say the digits beside them are not a telephone number: tax,
 * registration and bank identifiers, documents and dates ("ИНН 7707083893",
 * "№ 4716012345").  A cell with one of them is not read as a phone.
 */
static const char *const not_phone[] = {
	"инн", "кпп", "огрн", "огрнип", "бик", "окпо", "октмо", "окато", "снилс", "паспорт",
	"р/с", "к/с", "л/с", "счет", "счёт", "дата", "№",
	"inn", "kpp", "ogrn", "bik", "vat", "tin", "iban", "date", NULL
};

/* Words that only say "telephone": dropped from the note. */
static const char *const phone_label[] = {
	"tel", "tél", "phone", "ph", "тел", "телефон", "т", NULL
};

static int
in_list(const unsigned char *s, size_t n, const char *const *list)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (word_is(s, n, list[i]))
			return 1;
	return 0;
}

/* Whether the text s[0..n) holds a word of not_phone[]: a word is letters and '/', or a '№'. */
static int
names_other_number(const unsigned char *s, size_t n)
{
	size_t i = 0, w = 0, k;
	int in_word = 0;
	uint32_t c;

	while (i <= n) {
		c = 0;
		k = 1;
		if (i < n && (k = cp_at(s + i, n - i, &c)) == 0)
			return 1;
		if (i < n && (is_letter(c) || (in_word && c == '/'))) {
			if (!in_word)
				w = i;
			in_word = 1;
		} else {
			if (in_word && in_list(s + w, i - w, not_phone))
				return 1;
			in_word = 0;
			if (c == 0x2116)	/* № */
				return 1;
		}
		i += k;
	}
	return 0;
}

/*
 * An extension after commas or a semicolon, as phones dial one after the
 * call connects ("..., 12", "...,, 12", "...; 12"): the offset of the
 * separators before digits s[dig..e), or end.  A second number cannot hide
 * there: a number has spaces or more digits, and the E.164 form is the
 * first number's either way, the digits staying in the note.
 */
static size_t
comma_ext(const unsigned char *s, size_t start, size_t dig, size_t e, size_t end)
{
	size_t i = dig, commas = 0, semi = 0;

	while (i > start && strchr(" \t,;-.", s[i - 1]) != NULL) {
		commas += s[i - 1] == ',';
		semi += s[i - 1] == ';';
		i--;
	}
	if (commas + semi == 0)
		return end;
	if (e - dig > (semi > 0 || commas >= 2 ? EXT_AUTODIAL : EXT_AMBIGUOUS))
		return end;
	return i;
}

/*
 * The extension that ends the number part s[start..end) ("ext. 12", "доб
 * 12", "x12", "#12", ";ext=12", each with an optional '#' after, or
 * comma_ext()'s): the offset where it starts, separators before its label
 * included, or end when there is none.  libphonenumber's rarer forms
 * ("~12", "int 12", "- 12#") are left unread.
 */
static size_t
ext_start(const unsigned char *s, size_t start, size_t end)
{
	static const char *const explicit_labels[] = { "extension", "extn", "ext", "доб", NULL };
	size_t e = end, dig, lab, i, l;

	if (e > start && s[e - 1] == '#')
		e--;
	for (dig = e; dig > start && s[dig - 1] >= '0' && s[dig - 1] <= '9'; dig--)
		;
	if (dig == e || e - dig > EXT_EXPLICIT)
		return end;
	if (dig - start >= 5 && e == end && memcmp(s + dig - 5, ";ext=", 5) == 0)
		return dig - 5;
	for (lab = dig; lab > start && (s[lab - 1] == ' ' || s[lab - 1] == '\t' || s[lab - 1] == ',' ||
	    s[lab - 1] == '-' || (lab - start >= 2 && s[lab - 2] == 0xc2 && s[lab - 1] == 0xa0)); )
		lab -= s[lab - 1] == 0xa0 ? 2 : 1;
	if (lab > start && (s[lab - 1] == ':' || s[lab - 1] == '.'))
		lab--;
	for (i = 0; explicit_labels[i] != NULL; i++) {
		l = strlen(explicit_labels[i]);
		if (lab - start >= l && word_is(s + lab - l, l, explicit_labels[i]))
			break;
	}
	if (explicit_labels[i] == NULL) {
		if (lab == start || (s[lab - 1] != 'x' && s[lab - 1] != 'X' && s[lab - 1] != '#'))
			return comma_ext(s, start, dig, e, end);
		if (e - dig > EXT_AMBIGUOUS)
			return end;
		l = 1;
	}
	lab -= l;
	/* glued to a word ("next 12", "FLOWERSx12") it is no label */
	if (lab > start && ((s[lab - 1] | 0x20) >= 'a' && (s[lab - 1] | 0x20) <= 'z'))
		return end;
	while (lab > start && (s[lab - 1] == ' ' || s[lab - 1] == '\t' || s[lab - 1] == ','))
		lab--;
	return lab;
}

int
ls_phone_cell(const char *in, size_t n, const struct ls_phone_opts *o, char *out,
    struct ls_phone_span *where)
{
	const unsigned char *s = (const unsigned char *)in;
	char d[LS_PH_MAXDIGITS];
	size_t i, k, start = n, end = 0, cut = n, num_end, last = 0, nd = 0, ndig = 0, nalpha = 0;
	int c, v, plus = 0, lead = 1;

	out[0] = '\0';
	if (n > CELL_MAX)
		return LS_EDATA;
	/*
	 * The number runs from the first digit or '+' to the last digit, letter
	 * or '#' before a "/x" or "\\x" that starts a second number's extension
	 * ("(530) 583-6985 x302/x2303"); the rest is words.
	 */
	for (i = 0; i < n; i += k) {
		c = ls_phone_char(s + i, n - i, &k, &v);
		if (c == LS_PH_BROKEN)
			return LS_EDATA;
		if (cut < n)
			continue;
		if (start == n && (c == LS_PH_DIGIT || c == LS_PH_PLUS))
			start = i;
		if (start < n && (c == LS_PH_DIGIT || c == LS_PH_ALPHA || c == LS_PH_HASH))
			end = i + k;
		if (start < n && (s[i] == '/' || s[i] == '\\')) {
			size_t j = i + 1;
			while (j < n && s[j] == ' ')
				j++;
			if (j < n && s[j] == 'x')
				cut = i;
		}
	}
	if (start == n || end <= start)
		return LS_EDATA;
	num_end = ext_start(s, start, end);

	for (i = start; i < num_end; i += k) {
		switch (ls_phone_char(s + i, num_end - i, &k, &v)) {
		case LS_PH_PLUS:
			/* "++7" is a slip; "+ +7" and a '+' after a digit are two numbers */
			if (!lead)
				return LS_EDATA;
			plus = 1;
			continue;
		case LS_PH_DIGIT:
			ndig++;
			break;
		case LS_PH_ALPHA:
			/* libphonenumber reads letters after three digits only */
			if (ndig < 3)
				return LS_EDATA;
			nalpha++;
			break;
		case LS_PH_SEP:
			lead = 0;
			/* "030 1234 / 030 5678": a slash between spaces parts two numbers */
			if ((s[i] == '/' || s[i] == '\\') && i > start && i + 1 < num_end &&
			    (s[i - 1] == ' ' || s[i - 1] == '\t') && (s[i + 1] == ' ' || s[i + 1] == '\t'))
				return LS_EDATA;
			continue;
		default:		/* '#', ',', ';', ':', other letters and signs inside the number */
			return LS_EDATA;
		}
		lead = 0;
		last = i + k;
		if (nd == LS_PH_MAXDIGITS)
			return LS_EDATA;
		d[nd++] = (char)('0' + v);
	}
	/*
	 * One or two letters among digits are a typo ("9l6") or a word, not a
	 * keypad number: libphonenumber drops them and reads the rest, which
	 * would be another number.  Three or more are read on the keypad.
	 */
	if (ndig < 3 || nalpha == 1 || nalpha == 2)
		return LS_EDATA;
	if (names_other_number(s, start) || names_other_number(s + num_end, n - num_end))
		return LS_EDATA;
	if (!plus && nalpha == 0 && ls_phone_is_date(in + start, num_end - start))
		return LS_EDATA;
	if (ls_phone_read(d, nd, plus, o, out) != 0)
		return LS_EDATA;
	if (where != NULL) {
		/* the number ends at its last digit: "(" before "доб. 12)" is the note's */
		where->start = start;
		where->end = last;
	}
	return 0;
}

/* Digits s[*i..), at most 4: their value; *len their count. */
static unsigned
number_at(const char *s, size_t n, size_t *i, size_t *len)
{
	unsigned v = 0;
	size_t k;

	for (k = 0; *i < n && k < 5 && s[*i] >= '0' && s[*i] <= '9'; k++, (*i)++)
		v = v * 10 + (unsigned)(s[*i] - '0');
	*len = k;
	return v;
}

/*
 * "30.12.2024", "30/12/24", "12/30/2024", "2024-12-30": three groups parted
 * by one '.', '/' or '-' (the same twice; '-' only with a four-digit year,
 * as "12-34-56" is how local numbers are written), a day, a month and a
 * year of 1900-2099 or two digits.
 */
int
ls_phone_is_date(const char *s, size_t n)
{
	unsigned a, b, y;
	size_t i = 0, la, lb, ly;
	char sep;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	a = number_at(s, n, &i, &la);
	if (i >= n || (s[i] != '.' && s[i] != '/' && s[i] != '-'))
		return 0;
	sep = s[i++];
	b = number_at(s, n, &i, &lb);
	if (i >= n || s[i++] != sep)
		return 0;
	y = number_at(s, n, &i, &ly);
	if (i != n || lb < 1 || lb > 2)
		return 0;
	if (la == 4)			/* year, month, day */
		return a >= 1900 && a <= 2099 && b >= 1 && b <= 12 && ly >= 1 && ly <= 2 &&
		    y >= 1 && y <= 31;
	if (la < 1 || la > 2 || (ly != 4 && ly != 2) || (ly == 2 && sep == '-') ||
	    (ly == 4 && (y < 1900 || y > 2099)))
		return 0;
	return (a >= 1 && a <= 31 && b >= 1 && b <= 12) ||
	    (sep == '/' && a >= 1 && a <= 12 && b >= 1 && b <= 31);
}

/* Spaces, dashes and the signs that join words to a number: trimmed off a note's pieces. */
static int
joint(uint32_t c)
{
	switch (c) {
	case ' ': case '\t': case ',': case ';': case ':': case '-': case '|': case '/': case '\\':
	case '+': case 0xa0: case 0x202f: case 0x205f: case 0x3000: case 0xfeff: case 0x2212:
		return 1;
	}
	return (c >= 0x2000 && c <= 0x200b) || (c >= 0x2010 && c <= 0x2015);
}

/* s[*lo..*hi) with joints (and, facing the number, open or close brackets) trimmed. */
static void
trim(const unsigned char *s, size_t *lo, size_t *hi, int open_end, int close_start)
{
	uint32_t c;
	size_t k, j;

	while (*lo < *hi && (k = cp_at(s + *lo, *hi - *lo, &c)) > 0 &&
	    (joint(c) || (close_start && (c == ')' || c == ']'))))
		*lo += k;
	while (*hi > *lo) {
		j = cp_before(s, *lo, *hi);
		if (cp_at(s + j, *hi - j, &c) == 0 || !(joint(c) || (open_end && (c == '(' || c == '['))))
			break;
		*hi = j;
	}
}

/* One side of the number, trimmed, its brackets taken off when they hold all of it, a bare "tel:" dropped. */
static void
piece(const unsigned char *s, size_t *lo, size_t *hi, int before)
{
	size_t i, depth = 0, n;

	trim(s, lo, hi, before, !before);
	if (*hi - *lo >= 2 && ((s[*lo] == '(' && s[*hi - 1] == ')') || (s[*lo] == '[' && s[*hi - 1] == ']'))) {
		for (i = *lo; i < *hi; i++) {
			if (s[i] == '(' || s[i] == '[')
				depth++;
			else if ((s[i] == ')' || s[i] == ']') && --depth == 0 && i + 1 < *hi)
				break;
		}
		if (i == *hi) {
			(*lo)++;
			(*hi)--;
			trim(s, lo, hi, 0, 0);
		}
	}
	for (n = *hi - *lo; n > 0 && (s[*lo + n - 1] == '.' || s[*lo + n - 1] == ':'); n--)
		;
	if (in_list(s + *lo, n, phone_label))
		*hi = *lo;
}

size_t
ls_phone_note(const char *in, size_t n, const struct ls_phone_span *where, char *buf, size_t bufsz)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t alo = 0, ahi, blo, bhi = n, len = 0, k;

	if (buf == NULL || bufsz == 0)
		return 0;
	buf[0] = '\0';
	if (where == NULL || where->start > where->end || where->end > n)
		return 0;
	ahi = where->start;
	blo = where->end;
	piece(s, &alo, &ahi, 1);
	piece(s, &blo, &bhi, 0);
	if (ahi - alo + 2 + bhi - blo >= bufsz)
		return 0;
	memcpy(buf, in + alo, ahi - alo);
	len = ahi - alo;
	if (len > 0 && bhi > blo) {
		memcpy(buf + len, ", ", 2);
		len += 2;
	}
	k = bhi - blo;
	memcpy(buf + len, in + blo, k);
	len += k;
	buf[len] = '\0';
	return len;
}

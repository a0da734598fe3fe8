/*
 * phone.h - telephone numbers to E.164 ("+79161234567").
 *
 * Ranges.  A number is valid when its national significant number (NSN)
 * lies in an assigned range of its country: fixed line, mobile, toll-free,
 * VoIP, personal number, UAN, voicemail or pager.  Premium-rate and
 * shared-cost numbers are refused (no lead is called on them).  The ranges
 * of every country and non-geographic code (+800 ...) are Google
 * libphonenumber's metadata, version pinned in phone_data.c, compiled by
 * tools/gen-phone-data.py into a digit automaton: no regex at run time.
 * A number in a country's ranges may be longer than E.164's 15 digits where
 * the plan allows it ("+49 800 997471963786", 17 digits).
 *
 * Spellings.  A number is international when it starts with '+' (a doubled
 * "++" too), "00" (in every country: no national number is dialled with a
 * leading 00), or the default country's own international prefix (8 10 in
 * RU, KZ and BY, 011 in US and CA, ...), and the calling code must be an
 * assigned one.  After the calling code, a trunk prefix the writer kept
 * ("+7 8 916 ...", "+44 (0)20 ...") is dropped when only the reading
 * without it is valid.  Otherwise the number is national, of the default
 * country; the first valid reading wins: after its trunk prefix ("8 916
 * ..."; the longest of the country's prefixes first), as it stands ("916
 * ..."), then after its calling code written without '+' ("7 916 ...").  So
 * under DE "49 170 0462612" is +49 491 7004 62612 (area code 0491), as
 * libphonenumber reads it, not +49 170 0462612.
 *
 * Formatting is dropped: space, tab, - . ( ) / [ ], every Unicode dash
 * (category Pd: U+2010-2015, U+FE58, U+FE63, U+FF0D ...) and minus sign
 * (U+2212, U+207B, U+208B, U+2796), the
 * no-break and other Unicode spaces (U+00A0, U+2000-200A, U+202F, U+205F,
 * U+3000), the zero-width characters (U+200B-200D, U+2060, U+FEFF), the soft
 * hyphen and the full-width ( ) . /; full-width and Arabic-Indic digits and
 * the full-width plus are read as ASCII.
 *
 * Words around the number.  As libphonenumber's parser does, the number
 * runs from the cell's first digit or '+' to its last digit, ASCII letter
 * or '#'; what comes before ("tel:", "тел.", "Иван") and after ("-
 * директор", "(Иван)", "моб.") is words, kept by ls_phone_note().  Inside
 * it only digits, formatting, leading pluses and ASCII letters may stand,
 * and an extension at its end: "ext 12", "ext. 12", "extn 12", "extension
 * 12", "доб. 12", "x12", "#12", ";ext=12" (1 to 20 digits after a word, 9
 * after x or #, a '#' after them allowed), ", 12" (9 digits), ",, 12" and
 * "; 12" (15: the pauses a phone dials before an extension).  The
 * extension is no part of the E.164 number: it stays in the note.  Three or more letters are read
 * on the phone keypad ("+1 800 FLOWERS", "8 916 ABC 45 67"), after three
 * digits at least; one or two are a typo or a word ("9l6", "... A") and
 * make the value invalid, where libphonenumber drops them.
 *
 * Refused on top of libphonenumber, so that no cell becomes a wrong
 * number: two numbers (a '+' after a digit or after "+ ", a sign or word
 * between them, a '/' between spaces; from "/x" on, as libphonenumber
 * does, the rest is words); digits written as a date ("30.12.2024",
 * "2024-12-30", "12/30/24": a valid Berlin number to the ranges); a cell
 * that names another kind of number (ИНН, КПП, ОГРН, БИК, СНИЛС, р/с, №,
 * INN, VAT, date ...); libphonenumber's rarer extensions ("~12", "int 12",
 * "- 12#"); a cell over 250 bytes; malformed UTF-8.
 *
 * Checked countries.  With a list of checked countries (the rules file's
 * "countries"), an international number whose region is not listed is
 * accepted when it has 8 to 15 digits with a valid calling code.  The
 * region of a number is the one whose ranges hold it, else the one whose
 * leading digits it has (+7 7 is KZ, +1 416 CA), else the calling code's
 * main country (+7 RU, +1 US).  National forms are always checked.
 */
#ifndef LS_PHONE_H
#define LS_PHONE_H

#include <stddef.h>

/* Output size that always suffices: '+', a 3-digit calling code, a 17-digit national number, NUL. */
#define LS_PHONE_MAX 22

/* A note buffer that always suffices for a number ls_phone_parse() found (cells are at most 250 bytes). */
#define LS_PHONE_NOTE_MAX 256

/* Where ls_phone_parse() found the number: in[start..end), its extension left out. */
struct ls_phone_span {
	size_t start, end;
};

/* A country's numbering plan.  Entries are static; never free them. */
struct ls_phone_plan {
	const char *alpha2;	/* ISO 3166-1 alpha-2, upper case ("001": non-geographic) */
	const char *cc;		/* country calling code, digits */
	const char *trunk;	/* national trunk prefixes, '|'-separated, longest first ("80|0|8"); "" when none */
	const char *intl;	/* international prefixes besides "00", '|'-separated; "" when none */
	const char *first;	/* digits a valid national significant number may start with */
	int nsn_min, nsn_max;	/* valid national significant number lengths */
};

struct ls_phone_opts {
	/* Country of numbers written without '+'; NULL accepts international forms only. */
	const struct ls_phone_plan *default_country;
	/*
	 * Plans whose rules are checked, as returned by ls_phone_country()
	 * (compared by address); ncountries == 0 checks every known plan.
	 * The array is the caller's and is only read.
	 */
	const struct ls_phone_plan *const *countries;
	size_t ncountries;
};

/*
 * The plan for an ISO alpha-2 code ("RU", case-insensitive), or NULL when
 * libphonenumber has none: the config loader turns NULL into "unknown country".
 */
const struct ls_phone_plan *ls_phone_country(const char *alpha2);

/* The i-th country's plan, by alpha-2, or NULL when i is past the end (about 245 of them). */
const struct ls_phone_plan *ls_phone_plan_at(size_t i);

/*
 * Normalise in[0..n) (UTF-8, not necessarily NUL-terminated) into out as a
 * NUL-terminated E.164 string, finding the number among words as above.
 * opts may be NULL (no default country, every plan checked).  Returns 0,
 * LS_EDATA when the value is not a valid number (out is then an empty
 * string when outsz > 0), or LS_EUSAGE when outsz is below LS_PHONE_MAX.
 * When where is not NULL and the number is valid, it gets the bytes of
 * in[] the number took (the whole cell when it held nothing else).
 * Allocates nothing and keeps no state; out belongs to the caller.
 */
int ls_phone_parse(const char *in, size_t n, const struct ls_phone_opts *opts,
    char *out, size_t outsz, struct ls_phone_span *where);

/* ls_phone_parse() without the span. */
int ls_phone_normalize(const char *in, size_t n, const struct ls_phone_opts *opts,
    char *out, size_t outsz);

/*
 * The words of in[0..n) around the number where ls_phone_parse() found it,
 * as a note, into buf (NUL-terminated); returns its length, 0 when there are
 * none.  Each side loses the spaces, dashes and , ; : | / + that join it to
 * the number, and the brackets that hold all of it ("(Иван)" is "Иван"); a
 * side that only says "telephone" ("tel:", "Tel.", "тел.", "Телефон", "т.")
 * is dropped; the two sides are joined with ", ".  An extension stays as it
 * was written ("доб. 12").  buf of LS_PHONE_NOTE_MAX bytes always suffices;
 * with a smaller one a note that does not fit is left empty.
 */
size_t ls_phone_note(const char *in, size_t n, const struct ls_phone_span *where,
    char *buf, size_t bufsz);

#endif

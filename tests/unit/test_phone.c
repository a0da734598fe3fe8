/* test_phone.c - phone normalisation, one table row per case. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "phone.h"
#include "phone_data.h"
#include "phone_int.h"

struct pcase {
	const char *in;
	const char *dflt;	/* default_country, NULL for none */
	const char *checked;	/* "RU,KZ": checked plans; NULL: all */
	const char *want;	/* NULL: invalid */
};

/* U+00A0 and U+202F, as Excel and Word write them. */
#define NBSP	"\xc2\xa0"
#define NNBSP	"\xe2\x80\xaf"

static const struct pcase cases[] = {
	/* RU: +7, 8 and 7 prefixes, bare ten digits */
	{ "+7 (916) 123-45-67",		"RU", NULL, "+79161234567" },
	{ "8 916 123 45 67",		"RU", NULL, "+79161234567" },
	{ "79161234567",		"RU", NULL, "+79161234567" },
	{ "9161234567",			"RU", NULL, "+79161234567" },
	{ "+7-916-123-4567",		"RU", NULL, "+79161234567" },
	{ "8(495)123-45-67",		"RU", NULL, "+74951234567" },
	{ "+7 916 123" NBSP "45" NBSP "67", "RU", NULL, "+79161234567" },
	{ "8 916" NNBSP "123 45 67",	"RU", NULL, "+79161234567" },
	{ "  +7.916.123.45.67\t",	"RU", NULL, "+79161234567" },
	{ "(+7) 916/123-45-67",		"RU", NULL, "+79161234567" },
	{ "8 800 555-35-35",		"RU", NULL, "+78005553535" },
	{ "8005553535",			"RU", NULL, "+78005553535" },
	{ "8 10 49 30 1234567",		"RU", NULL, "+49301234567" },
	{ "+7 916 123-45-6",		"RU", NULL, NULL },	/* 9 digits */
	{ "+7 916 123-45-678",		"RU", NULL, NULL },	/* 11 digits */
	{ "8 916 123 45",		"RU", NULL, NULL },
	{ "8 916 123 45 6",		"RU", NULL, NULL },	/* a lost digit: no RU range 891 */
	{ "8760704667",			"RU", NULL, NULL },	/* nor 876 */
	{ "8 (921) 307\u201364\u201340",	"RU", NULL, "+79213076440" },	/* en dash */
	{ "916123456",			"RU", NULL, NULL },
	{ "+7 016 123 45 67",		"RU", NULL, NULL },	/* no RU code starts with 0 */
	{ "+7 8 916 123 45 67",		"RU", NULL, "+79161234567" },	/* trunk kept after +7 */
	{ "+7 8 (916) 123-45-67",	"KZ", NULL, "+79161234567" },
	{ "7 8 916 123 45 67",		"RU", NULL, "+79161234567" },
	{ "+8 916 123 45 67",		"RU", NULL, NULL },	/* +89 is spare: not guessed */
	{ "+8 771 000 9122",		"RU", NULL, NULL },	/* +87 too */
	{ "81030682353",		"RU", NULL, NULL },	/* 8 10 30 682353: no 6-digit GR number */
	{ "8 809 123 45 67",		"RU", NULL, NULL },	/* premium rate */
	{ "+7 803 123 45 67",		"RU", NULL, NULL },	/* premium rate too */
	{ "+7 808 123 45 67",		"RU", NULL, "+78081234567" },	/* personal number */
	{ "8 800 100 000 0000",		NULL, NULL, NULL },
	{ "8 029 123 45 67",		"RU", NULL, NULL },	/* BY's form is not RU's */
	/* extensions (kept in the note: test_cells) and garbage */
	{ "+7 916 123-45-67 ext 12",	"RU", NULL, "+79161234567" },
	{ "+7 916 123-45-67 доб. 12",	"RU", NULL, "+79161234567" },
	{ "+7 916 123-45-67 x12",	"RU", NULL, "+79161234567" },
	{ "+7 916 123-45-67#12",	"RU", NULL, "+79161234567" },
	{ "n/a",			"RU", NULL, NULL },
	{ "нет",			"RU", NULL, NULL },
	{ "",				"RU", NULL, NULL },
	{ "   ",			"RU", NULL, NULL },
	{ "-",				"RU", NULL, NULL },
	{ "+",				"RU", NULL, NULL },
	{ "+7 916 123 45 67, +7 916 765 43 21", "RU", NULL, NULL },
	{ "7+9161234567",		"RU", NULL, NULL },
	{ "++79161234567",		"RU", NULL, "+79161234567" },	/* doubled plus */
	{ "+ +79161234567",		"RU", NULL, NULL },	/* libphonenumber: not a number */
	{ "+7 916 123 45 67 +",		"RU", NULL, "+79161234567" },	/* a stray sign after it is words */
	{ "89161234567000000000000",	"RU", NULL, NULL },
	{ "\xc2" "9161234567",		"RU", NULL, NULL },	/* broken UTF-8 */
	/* KZ: +7 6xx / 7xx, also reached from a RU default */
	{ "+7 701 123 45 67",		"RU", NULL, "+77011234567" },
	{ "8 701 123 45 67",		"KZ", NULL, "+77011234567" },
	{ "87011234567",		"RU", NULL, "+77011234567" },
	{ "7272 12 34 56",		"KZ", NULL, "+77272123456" },
	{ "+7 701 123 45 6",		"KZ", NULL, NULL },
	{ "+7 601 123 45 67",		"KZ", NULL, NULL },	/* no +7 6xx range */
	{ "+7 778 123 45 67",		"RU", NULL, "+77781234567" },
	{ "+7 760 704 66 7",		"RU", NULL, NULL },
	{ "+7 747 123 45 67",		"RU", NULL, "+77471234567" },
	{ "+7 916 123 45 67",		"KZ", "KZ", "+79161234567" },	/* RU unchecked: E.164 length only */
	{ "+7 701 123 45 6",		"RU", "RU", "+7701123456" },	/* KZ unchecked */
	/* BY: +375, trunk 8 0, 9 digits */
	{ "8-029-123-45-67",		"BY", NULL, "+375291234567" },
	{ "+375 29 123-45-67",		"RU", NULL, "+375291234567" },
	{ "375 (17) 123-45-67",		"BY", NULL, "+375171234567" },
	{ "+375 29 123-45-6",		"RU", NULL, NULL },
	{ "8 10 375 29 123 45 67",	"RU", NULL, "+375291234567" },
	{ "+375 80 29 123 45 67",	"RU", NULL, "+375291234567" },	/* trunk 8 0 kept */
	{ "8 029 123 45 67",		"BY", NULL, "+375291234567" },
	/* UA: +380, trunk 0, 9 digits */
	{ "+380 44 123 4567",		"RU", NULL, "+380441234567" },
	{ "044 123 4567",		"UA", NULL, "+380441234567" },
	{ "380501234567",		"UA", NULL, "+380501234567" },
	{ "+380 44 123 45",		"UA", NULL, NULL },
	{ "044 123 4567",		"RU", NULL, NULL },
	{ "+380 (0)44 123 4567",	"RU", NULL, "+380441234567" },
	/* US/CA: +1, trunk 1, NANP */
	{ "+1 (212) 555-0123",		"RU", NULL, "+12125550123" },
	{ "(212) 555-0123",		"US", NULL, "+12125550123" },
	{ "1-212-555-0123",		"US", NULL, "+12125550123" },
	{ "416.555.0199",		"CA", NULL, "+14165550199" },
	{ "011 44 20 7946 0018",	"US", NULL, "+442079460018" },
	{ "+1 (112) 555-0123",		"US", NULL, NULL },	/* area code starts with 1 */
	{ "+1 (212) 055-0123",		"US", NULL, NULL },	/* exchange starts with 0 */
	{ "+1 900 234 5678",		"US", NULL, NULL },	/* premium rate */
	{ "+1 1 310 123 4",		"RU", NULL, NULL },	/* not a CA UAN */
	{ "1 416 555 0199",		"US", NULL, "+14165550199" },	/* CA from US */
	{ "+1 212 555 012",		"US", NULL, NULL },
	{ "+1 212 555 0123",		"RU", "CA", "+12125550123" },	/* CA covers +1 */
	{ "+1 (112) 555-0123",		"RU", "RU", "+11125550123" },	/* +1 unchecked */
	/* DE: +49, trunk 0, 6 to 13 digits */
	{ "00 49 30 1234567",		"RU", NULL, "+49301234567" },
	{ "030 1234567",		"DE", NULL, "+49301234567" },
	{ "0151 12345678",		"DE", NULL, "+4915112345678" },
	{ "+49 89 12345",		"DE", NULL, "+498912345" },
	{ "+49 30 12",			"DE", NULL, NULL },	/* 4 digits */
	{ "+49 30 1234 5678 9012",	"DE", NULL, "+4930123456789012" },	/* 16 digits: DE's plan allows it */
	{ "+49 800/997471963786",	"DE", NULL, "+49800997471963786" },	/* 17 */
	{ "0800 997471963786",		"DE", NULL, "+49800997471963786" },
	{ "+49 800 9974719637861",	"DE", NULL, NULL },	/* 18: not even DE's */
	{ "+49 (0)30 1234567",		"RU", NULL, "+49301234567" },
	{ "0049 30 1234567",		"DE", NULL, "+49301234567" },
	{ "49 170 0462612",		"DE", NULL, "+49491700462612" },	/* 0491 Leer, as libphonenumber */
	{ "+49 170 0462612",		"DE", NULL, "+491700462612" },
	{ "49 30 1234567",		"DE", NULL, "+49301234567" },	/* no 0493 0 number */
	{ "0180 5 123456",		"DE", NULL, NULL },	/* shared cost */
	{ "0900 1 234567",		"DE", NULL, NULL },	/* premium rate */
	/* GB: +44, trunk 0, 9 or 10 digits */
	{ "020 7946 0018",		"GB", NULL, "+442079460018" },
	{ "+44 (0)20 7946 0018",	"GB", NULL, "+442079460018" },	/* the (0) habit */
	{ "+44 (0)7400 123459",		"RU", NULL, "+447400123459" },
	{ "+44 20 7946 0018",		"RU", NULL, "+442079460018" },
	{ "0800 123 456",		"GB", NULL, "+44800123456" },
	{ "020 7946 001",		"GB", NULL, NULL },
	{ "01946 12345",		"GB", NULL, NULL },	/* no short numbers left in 01946 */
	{ "01946 123456",		"GB", NULL, "+441946123456" },
	{ "0909 879 0000",		"GB", NULL, NULL },	/* premium rate */
	{ "+44 40 7946 0018",		"GB", NULL, NULL },	/* no 04 numbers */
	/* countries without a plan, and no default country */
	{ "+33 1 23 45 67 89",		"RU", NULL, "+33123456789" },
	{ "+33 1 23",			"RU", NULL, NULL },
	{ "+33 1 23 45 67 8",		"RU", NULL, NULL },	/* FR has a plan too */
	{ "01 23 45 67 89",		"FR", NULL, "+33123456789" },
	{ "06 1234 5678",		"IT", NULL, "+390612345678" },	/* IT keeps its 0 */
	{ "+39 06 1234 5678",		"RU", NULL, "+390612345678" },
	{ "010 81 3 1234 5678",		"JP", NULL, "+81312345678" },	/* JP's 010 */
	{ "+800 1234 5678",		"RU", NULL, "+80012345678" },	/* non-geographic */
	{ "+999 1234 5678",		"RU", NULL, NULL },	/* unassigned code */
	{ "+33 1 23 45 67 8",		"RU", "RU", "+3312345678" },	/* FR unchecked: length */
	{ "+33 1234 5678 9012 34",	"RU", NULL, NULL },	/* over 15 digits */
	{ "+0 123 456 789",		"RU", NULL, NULL },
	{ "9161234567",			NULL, NULL, NULL },
	{ "+7 916 123 45 67",		NULL, NULL, "+79161234567" },
	{ "00 7 916 123 45 67",		NULL, NULL, "+79161234567" },
	{ "00 7 916 123 45 67",		"US", NULL, "+79161234567" },	/* 00 everywhere */
	/* Unicode formatting */
	{ "+7 916\u2014123\u201145\u201067",	"RU", NULL, "+79161234567" },	/* dashes */
	{ "+7 916\u2212123\u221245\u221267",	"RU", NULL, "+79161234567" },	/* minus */
	{ "+7\uff0d916\ufe63123\u2015""45 67",	"RU", NULL, "+79161234567" },
	{ "+7 916 123 45 67\u200b",	"RU", NULL, "+79161234567" },	/* zero-width space */
	{ "+7\u2e3a916\u301c123\u30a0""45\u058a67",	"RU", NULL, "+79161234567" },	/* rarer dashes */
	{ "+7 916\u207b123\u208b""45\u279667",	"RU", NULL, "+79161234567" },	/* more minus signs */
	{ "+7 916 123 45 67\U00010ead",	"RU", NULL, "+79161234567" },	/* Yezidi hyphenation mark */
	{ "+7 916 123 45 67\U0001F4DE",	"RU", NULL, "+79161234567" },	/* an emoji after it is words */
	{ "\ufeff+7\u2060916\u00ad123\u200c45\u200d67", "RU", NULL, "+79161234567" },
	{ "+7\u3000916\u2009123\u200a4567",	"RU", NULL, "+79161234567" },
	{ "\uff0b\uff17 \uff19\uff11\uff16 123 45 67", "RU", NULL, "+79161234567" },	/* full width */
	{ "\uff08916\uff09123-45-67",	"RU", NULL, "+79161234567" },
	{ "+7 916 123 45 67\u2026",	"RU", NULL, "+79161234567" },	/* ellipsis: words */
	{ "+7 916\u2026123 45 67",	"RU", NULL, NULL },	/* not formatting inside */
	{ "+7 916 123 45 67\u00b7",	"RU", NULL, "+79161234567" },
	{ "+7 916\u00b7123 45 67",	"RU", NULL, NULL },
	{ "+7 916 123 45 6\xe2\x80",	"RU", NULL, NULL },	/* cut UTF-8 */
	{ "+7 916 123 45 67\xed\xa0\x80",	"RU", NULL, NULL },	/* a surrogate */
	{ "+7 916 123 45 67\xe0\x80\x80",	"RU", NULL, NULL },	/* overlong */
};

static void
set_opts(const struct pcase *c, struct ls_phone_opts *o,
    const struct ls_phone_plan **list)
{
	const char *p;

	memset(o, 0, sizeof(*o));
	if (c->dflt != NULL) {
		o->default_country = ls_phone_country(c->dflt);
		assert_non_null(o->default_country);
	}
	if (c->checked == NULL)
		return;
	for (p = c->checked; *p != '\0'; p += p[2] == ',' ? 3 : 2) {
		char a2[3] = { p[0], p[1], '\0' };

		list[o->ncountries] = ls_phone_country(a2);
		assert_non_null(list[o->ncountries]);
		o->ncountries++;
	}
	o->countries = list;
}

static void
test_table(void **state)
{
	const struct ls_phone_plan *list[16];
	struct ls_phone_opts o;
	char out[LS_PHONE_MAX];
	size_t i;
	int rc, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct pcase *c = &cases[i];

		set_opts(c, &o, list);
		rc = ls_phone_normalize(c->in, strlen(c->in), &o, out, sizeof(out));
		if (c->want != NULL && (rc != 0 || strcmp(out, c->want) != 0)) {
			print_error("case %zu \"%s\" (%s): got rc %d \"%s\", want \"%s\"\n",
			    i, c->in, c->dflt ? c->dflt : "-", rc, out, c->want);
			bad++;
		} else if (c->want == NULL && (rc != LS_EDATA || out[0] != '\0')) {
			print_error("case %zu \"%s\" (%s): got rc %d \"%s\", want invalid\n",
			    i, c->in, c->dflt ? c->dflt : "-", rc, out);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	assert_true(sizeof(cases) / sizeof(cases[0]) >= 120);
}

/*
 * Numbers inside cells with words (phone.h, "Words around the number"):
 * the E.164 form (NULL: invalid) and the note ls_phone_note() keeps.
 */
struct ccase {
	const char *in;
	const char *dflt;
	const char *want;
	const char *note;
};

static const struct ccase cells[] = {
	/* issue 30's shapes: words before and after */
	{ "tel: +1 905 873 1195",		"RU", "+19058731195", "" },
	{ "+44 5612 345675 - директор",		"RU", "+445612345675", "директор" },
	{ "тел. 8 916 123 45 67",		"RU", "+79161234567", "" },
	{ "Тел.: 8 916 123 45 67",		"RU", "+79161234567", "" },
	{ "ТЕЛЕФОН 8 916 123 45 67",		"RU", "+79161234567", "" },
	{ "+7 916 123 45 67 (Иван)",		"RU", "+79161234567", "Иван" },
	{ "Иван Петров: +7 (916) 123-45-67, моб.", "RU", "+79161234567", "Иван Петров, моб." },
	{ "(+7) 916 123 45 67",			"RU", "+79161234567", "" },
	{ "моб. 8 916 123 45 67",		"RU", "+79161234567", "моб." },
	{ "+7 916 123 45 67 (Иван) (Петров)",	"RU", "+79161234567", "(Иван) (Петров)" },
	{ "tel:+79161234567",			"RU", "+79161234567", "" },
	{ "John: 8 916 123 45 67",		"RU", "+79161234567", "John" },
	/* extensions: out of the number, kept in the note as written */
	{ "8 916 123 45 67 доб. 12",		"RU", "+79161234567", "доб. 12" },
	{ "8 495 123-45-67 (доб. 123)",		"RU", "+74951234567", "доб. 123" },
	{ "+7 916 123 45 67 ДОБ 12",		"RU", "+79161234567", "ДОБ 12" },
	{ "+1 212 555 0123 ext. 204",		"US", "+12125550123", "ext. 204" },
	{ "+1 212 555 0123 Extension 204#",	"US", "+12125550123", "Extension 204#" },
	{ "+1 212 555 0123 x204",		"US", "+12125550123", "x204" },
	{ "+1 212 555 0123x204",		"US", "+12125550123", "x204" },
	{ "+1 212 555 0123 #204",		"US", "+12125550123", "#204" },
	{ "+79161234567;ext=12",		"RU", "+79161234567", "ext=12" },
	{ "+1 212 555 0123, 204",		"US", "+12125550123", "204" },
	{ "+1 212 555 0123,, 204",		"US", "+12125550123", "204" },
	{ "+1 212 555 0123; 204",		"US", "+12125550123", "204" },
	{ "(530) 583-6985 x302/x2303",		"US", "+15305836985", "x302/x2303" },
	{ "+1 212 555 0123 x1234567890",	"US", NULL, NULL },	/* 10 digits after x: no extension */
	{ "+1 212 555 0123, 1234567890",	"US", NULL, NULL },	/* nor after a comma: a second number */
	{ "8 495 123-45-67 доп. 123",		"RU", NULL, NULL },	/* no extension word to libphonenumber */
	{ "+7 916 123 45 67 next 12",		"RU", NULL, NULL },
	/* letters on the phone keypad: three or more, after three digits */
	{ "+1 800 FLOWERS",			"RU", "+18003569377", "" },
	{ "1-800-flowers",			"US", "+18003569377", "" },
	{ "8 916 ABC 45 67",			"RU", "+79162224567", "" },
	{ "+1 800 FLOWERS ext 12",		"US", "+18003569377", "ext 12" },
	{ "+7 9l6 123 45 67",			"RU", NULL, NULL },	/* a typo, not a keypad */
	{ "+7 916 123 45 67 A",			"RU", NULL, NULL },
	{ "+7 916 123 45 67 John",		"RU", NULL, NULL },	/* read on the keypad: too long */
	{ "8 AB 916 123 45 67",			"RU", NULL, NULL },
	{ "8 916 АВС 45 67",			"RU", NULL, NULL },	/* Cyrillic look-alikes */
	/* longer than E.164 where the plan allows it */
	{ "+49 800/997471963786 (горячая линия)", "RU", "+49800997471963786", "горячая линия" },
	{ "+49 800/997471963786 (Hotline)",	"RU", NULL, NULL },	/* Latin words are keypad letters */
	/* two numbers, dates and other numbers are not read as one phone */
	{ "+7 916 123 45 67, +7 916 765 43 21",	"RU", NULL, NULL },
	{ "+7 916 123 45 67; 8 916 765 43 21",	"RU", NULL, NULL },
	{ "+7 916 123 45 67 / 8 916 765 43 21",	"RU", NULL, NULL },
	{ "030 1234 / 030 5678",		"DE", NULL, NULL },
	{ "8 916 123 45 67 или 8 916 765 43 21", "RU", NULL, NULL },
	{ "8 916 123 45 67 (Иван, до 18:00)",	"RU", NULL, NULL },
	{ "Офис 2, тел. 8 916 123 45 67",	"RU", NULL, NULL },
	{ "30.12.2024",				"DE", NULL, NULL },
	{ "от 30.12.2024",			"DE", NULL, NULL },
	{ "2024-12-30",				"DE", NULL, NULL },
	{ "12/30/2024",				"DE", NULL, NULL },
	{ "30.12.24",				"DE", NULL, NULL },
	{ "030 12 20 24",			"DE", "+4930122024", "" },	/* not a date's shape */
	{ "12-34-56",				"DE", NULL, NULL },	/* no DE number; not refused as a date */
	{ "ИНН 4716012345",			"RU", NULL, NULL },
	{ "4716012345 (ИНН)",			"RU", NULL, NULL },
	{ "инн: 4716012345",			"RU", NULL, NULL },
	{ "№ 4716012345",			"RU", NULL, NULL },
	{ "VAT 4716012345",			"RU", NULL, NULL },
	{ "4716012345",				"RU", "+74716012345", "" },	/* alone it may be a phone */
	/* hostile cells */
	{ "+7 916 123 45 67 #",			"RU", NULL, NULL },
	{ "79161234567#",			"RU", NULL, NULL },
	{ "+7 916 123 45 67 \xff",		"RU", NULL, NULL },	/* malformed UTF-8 in the words */
	{ "Иван\xd0",				"RU", NULL, NULL },
	{ "+ 7 916 123 45 67 ++",		"RU", "+79161234567", "" },
	{ "+7 916 123 45 67 + 8",		"RU", NULL, NULL },
	{ "тел",				"RU", NULL, NULL },
	{ "+",					"RU", NULL, NULL },
	{ "(Иван)",				"RU", NULL, NULL },
	{ "1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0", "RU", NULL, NULL },
	{ "+7 916 123 45 67 \xd9\xa4\xd9\xa5",	"RU", NULL, NULL },	/* Arabic-Indic digits are digits */
	{ "\xd9\xa8 916 123 45 67 Ⅻ",		"RU", "+79161234567", "Ⅻ" },
	{ "電話 +7 916 123 45 67 Ωμέγα",	"RU", "+79161234567", "電話, Ωμέγα" },
};

static void
test_cells(void **state)
{
	struct ls_phone_opts o;
	struct ls_phone_span sp;
	char out[LS_PHONE_MAX], note[LS_PHONE_NOTE_MAX];
	size_t i;
	int rc, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		const struct ccase *c = &cells[i];

		memset(&o, 0, sizeof(o));
		o.default_country = ls_phone_country(c->dflt);
		rc = ls_phone_parse(c->in, strlen(c->in), &o, out, sizeof(out), &sp);
		if (c->want == NULL) {
			if (rc != LS_EDATA || out[0] != '\0') {
				print_error("cell %zu \"%s\": got \"%s\", want invalid\n", i, c->in, out);
				bad++;
			}
			continue;
		}
		if (rc != 0 || strcmp(out, c->want) != 0) {
			print_error("cell %zu \"%s\": got rc %d \"%s\", want \"%s\"\n", i, c->in, rc, out, c->want);
			bad++;
			continue;
		}
		assert_true(sp.start <= sp.end && sp.end <= strlen(c->in));
		ls_phone_note(c->in, strlen(c->in), &sp, note, sizeof(note));
		if (strcmp(note, c->note) != 0) {
			print_error("cell %zu \"%s\": note \"%s\", want \"%s\"\n", i, c->in, note, c->note);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Cells past 250 bytes are not searched (libphonenumber's limit); the note always fits. */
static void
test_cell_length(void **state)
{
	struct ls_phone_opts o = { .default_country = ls_phone_country("RU") };
	struct ls_phone_span sp;
	char out[LS_PHONE_MAX], note[LS_PHONE_NOTE_MAX], small[8], in[100001];
	size_t n;

	(void)state;
	for (n = 0; n + 2 <= sizeof(in); n += 2)
		memcpy(in + n, "\xd1\x8f", 2);	/* я */
	memcpy(in, "8 916 123 45 67 ", 16);
	/* 250 bytes: read, and all but the number is the note */
	assert_int_equal(ls_phone_parse(in, 250, &o, out, sizeof(out), &sp), 0);
	assert_string_equal(out, "+79161234567");
	n = ls_phone_note(in, 250, &sp, note, sizeof(note));
	assert_int_equal(n, 250 - 16);
	assert_int_equal(ls_phone_note(in, 250, &sp, small, sizeof(small)), 0);
	assert_string_equal(small, "");
	assert_int_equal(ls_phone_parse(in, 251, &o, out, sizeof(out), &sp), LS_EDATA);
	assert_string_equal(out, "");
	/* a huge cell, and one of digit groups only, are refused without reading past n */
	assert_int_equal(ls_phone_parse(in, sizeof(in) - 1, &o, out, sizeof(out), &sp), LS_EDATA);
	for (n = 0; n + 2 <= sizeof(in) - 1; n += 2)
		memcpy(in + n, "7 ", 2);
	assert_int_equal(ls_phone_parse(in, sizeof(in) - 1, &o, out, sizeof(out), &sp), LS_EDATA);
	/* a plain cell's span is all of it and its note empty */
	assert_int_equal(ls_phone_parse(" 8 916 123 45 67 ", 17, &o, out, sizeof(out), &sp), 0);
	assert_int_equal(sp.start, 0);
	assert_int_equal(sp.end, 17);
	assert_int_equal(ls_phone_note(" 8 916 123 45 67 ", 17, &sp, note, sizeof(note)), 0);
	assert_int_equal(ls_phone_note("x", 1, NULL, note, sizeof(note)), 0);
}

/*
 * What reads as a date is not taken for a phone: day, month, year (or the
 * year first with '-'), one separator twice; a month-first date only with
 * '/'; blanks around ignored.  Everything else is left to the phone rules.
 */
static void
test_is_date(void **state)
{
	static const struct { const char *s; int want; } c[] = {
		{ "30.12.2024", 1 }, { " 30/12/24\t", 1 }, { "12/30/2024", 1 }, { "2024-12-30", 1 },
		{ "1.2.1900", 1 }, { "31.12.2099", 1 },
		{ "30.12", 0 },			/* two groups */
		{ "30.12/2024", 0 },		/* two separators */
		{ "30.12.2024 г", 0 },		/* something after the year */
		{ "30.123.2024", 0 },		/* a three-digit month */
		{ "30..2024", 0 },
		{ "30.12.1899", 0 }, { "30.12.2100", 0 },
		{ "30-12-24", 0 },		/* '-' only with four digits in the year: a local number */
		{ "30.12.024", 0 }, { "123.12.2024", 0 },
		{ "12.30.2024", 0 },		/* month first only with '/' */
		{ "13/30/2024", 0 }, { "0.12.2024", 0 }, { "32.12.2024", 0 }, { "30.0.2024", 0 },
		{ "2024-13-30", 0 }, { "2024-12-32", 0 }, { "1899-12-30", 0 }, { "2024-12-300", 0 },
		{ "30 12 2024", 0 }, { "", 0 }, { "   ", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++)
		if (ls_phone_is_date(c[i].s, strlen(c[i].s)) != c[i].want)
			fail_msg("'%s': %d, want %d", c[i].s, !c[i].want, c[i].want);
}

/* The length is honoured: no NUL is needed, and bytes past n are not read. */
static void
test_length_bound(void **state)
{
	struct ls_phone_opts o = { .default_country = ls_phone_country("RU") };
	char out[LS_PHONE_MAX];

	(void)state;
	assert_int_equal(ls_phone_normalize("9161234567 ext 5", 10, &o, out, sizeof(out)), 0);
	assert_string_equal(out, "+79161234567");
	assert_int_equal(ls_phone_normalize(NULL, 0, &o, out, sizeof(out)), LS_EDATA);
}

static void
test_small_buffer(void **state)
{
	char out[LS_PHONE_MAX - 1];

	(void)state;
	assert_int_equal(ls_phone_normalize("+79161234567", 12, NULL, out, sizeof(out)),
	    LS_EUSAGE);
	assert_int_equal(ls_phone_normalize("+79161234567", 12, NULL, NULL, 0), LS_EUSAGE);
}

/* A NULL opts means no default country and every plan checked. */
static void
test_null_opts(void **state)
{
	char out[LS_PHONE_MAX];

	(void)state;
	assert_int_equal(ls_phone_normalize("+7 916 123 45 67", 16, NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "+79161234567");
	assert_int_equal(ls_phone_normalize("+7 916 123 45 6", 15, NULL, out, sizeof(out)),
	    LS_EDATA);
	assert_int_equal(ls_phone_normalize("89161234567", 11, NULL, out, sizeof(out)),
	    LS_EDATA);
}

static void
test_country_lookup(void **state)
{
	const struct ls_phone_plan *p;
	size_t i;

	(void)state;
	p = ls_phone_country("RU");
	assert_non_null(p);
	assert_string_equal(p->cc, "7");
	assert_ptr_equal(ls_phone_country("ru"), p);
	assert_string_equal(ls_phone_country("by")->trunk, "80|0|8");
	assert_string_equal(ls_phone_country("RU")->intl, "810");
	assert_string_equal(ls_phone_country("fr")->cc, "33");
	assert_null(ls_phone_country("001"));
	assert_string_equal(ls_phone_country("GB")->cc, "44");
	assert_null(ls_phone_country("XX"));
	assert_null(ls_phone_country("UK"));
	assert_null(ls_phone_country("RUS"));
	assert_null(ls_phone_country(""));
	assert_null(ls_phone_country(NULL));
	for (i = 0; ls_phone_plan_at(i) != NULL; i++)
		assert_ptr_equal(ls_phone_country(ls_phone_plan_at(i)->alpha2),
		    ls_phone_plan_at(i));
	assert_true(i >= 240);	/* every country libphonenumber knows */
}

/* The generated tables hold together: codes, regions, states and prefixes. */
static void
test_tables(void **state)
{
	size_t i, j, k;

	(void)state;
	assert_true(ls_phone_data_version[0] != '\0');
	for (i = 1; i < ls_phone_ngeo; i++)
		assert_true(strcmp(ls_phone_plans[i - 1].alpha2, ls_phone_plans[i].alpha2) < 0);
	for (i = ls_phone_ngeo; i < ls_phone_nplans; i++)
		assert_string_equal(ls_phone_plans[i].alpha2, "001");
	for (i = 0; i < ls_phone_nccs; i++) {
		const struct ls_phone_cc *c = &ls_phone_ccs[i];
		size_t n = strlen(c->cc);
		unsigned v = (unsigned)atoi(c->cc);

		assert_true(n >= 1 && n <= 3);
		assert_int_equal(ls_phone_cc_slot[(n == 1 ? 0 : n == 2 ? 10 : 110) + v], i + 1);
		assert_true(c->start < ls_phone_nstates);
		assert_true(c->nreg >= 1);
		for (j = 0; j < c->nreg; j++) {
			k = ls_phone_cc_regions[c->reg_off + j];
			assert_true(k < ls_phone_nplans);
			assert_string_equal(ls_phone_plans[k].cc, c->cc);
		}
	}
	for (i = 0; i < ls_phone_nstates; i++) {
		assert_true(ls_phone_accept[i] <= ls_phone_nplans);
		for (j = 0; j < 10; j++)
			assert_true(ls_phone_next[i][j] < ls_phone_nstates);
	}
	for (j = 0; j < 10; j++)
		assert_int_equal(ls_phone_next[0][j], 0);	/* dead stays dead */
	for (i = 0; i < ls_phone_nleads; i++) {
		const struct ls_phone_lead *l = &ls_phone_leads[i];
		const char *cc = ls_phone_plans[l->region].cc;

		assert_true(l->region < ls_phone_ngeo);
		assert_memory_equal(l->prefix, cc, strlen(cc));
		if (i > 0)
			assert_true(strcmp(ls_phone_leads[i - 1].prefix, l->prefix) <= 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_cell_length),
		cmocka_unit_test(test_length_bound),
		cmocka_unit_test(test_small_buffer),
		cmocka_unit_test(test_null_opts),
		cmocka_unit_test(test_country_lookup),
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_is_date),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

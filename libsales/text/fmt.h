/*
 * fmt.h - text for people: amounts with grouping, amounts in words (Russian
 * and English), dates in words, and UTF-8 case mapping.  These are the
 * Mustache filters of doc-render (money, words_ru, words_en, date_ru,
 * date_en, upper, lower, capitalize), kept apart from the template engine so
 * that they can be tested and used on their own.
 *
 * Every function appends to a struct ls_buf (a growing string the caller
 * owns and frees with ls_buf_free()) and returns 0, LS_EDATA with
 * err->msg filled for text that is not an amount or a date, or LS_ENOMEM.
 * Nothing goes through floating point.
 */
#ifndef LS_FMT_H
#define LS_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "error.h"

enum ls_locale { LS_LOCALE_RU = 0, LS_LOCALE_EN };

/* "ru" or "en" (--locale's words) to *out: 0, or -1 for another word. */
int ls_fmt_locale_parse(const char *word, enum ls_locale *out);

/*
 * Parse an amount as written in data: "1234.5", "1 234,50", "-3", with at
 * most two decimals (more are rounded half away from zero).  A comma is
 * read as the decimal separator when no '.' is present and the text is not
 * a thousands-grouped "1,234" ("1,5" is 1.50).  *out is in kopecks/cents.
 */
int ls_fmt_parse_amount(const char *s, size_t n, int64_t *out, struct ls_error *err);

/*
 * v (minor units) with two decimals for people: ru "1 234 567,89" where the
 * thousands separator is U+00A0 NO-BREAK SPACE (so an amount never breaks
 * across lines in a table cell), en "1,234,567.89".
 */
int ls_fmt_money(struct ls_buf *b, int64_t v, enum ls_locale loc);

/*
 * A quantity as people read it: "1234.5" is ru "1 234,5", en "1,234.5";
 * up to 6 decimals, trailing zeros dropped.
 */
int ls_fmt_number(struct ls_buf *b, const char *s, size_t n, enum ls_locale loc,
    struct ls_error *err);

/*
 * v (kopecks) in Russian words with the kopecks as two digits:
 * "одна тысяча двести тридцать четыре рубля 05 копеек", "ноль рублей 00
 * копеек", "минус ..." for negative amounts.  Numbers agree in gender
 * (одна тысяча, два рубля) and in plural (пять тысяч, двадцать один рубль).
 */
int ls_fmt_words_ru(struct ls_buf *b, int64_t v);

/*
 * v (cents) in English words, cents as a fraction, currency left to the
 * template: "one thousand two hundred thirty-four and 05/100".
 */
int ls_fmt_words_en(struct ls_buf *b, int64_t v);

/*
 * A date ("2026-11-26", an RFC 3339 timestamp whose date part is taken as
 * written, or "26.11.2026[ HH:MM[:SS]]") in words: ru "26 ноября 2026 г.",
 * en "November 26, 2026".
 */
int ls_fmt_date(struct ls_buf *b, const char *s, size_t n, enum ls_locale loc,
    struct ls_error *err);

/* Parse a date as ls_fmt_date() reads it.  0 or LS_EDATA. */
int ls_fmt_parse_date(const char *s, size_t n, int *y, int *m, int *d);

/*
 * s[0..n) upper- or lower-cased: ASCII, Latin-1 letters, Cyrillic
 * (U+0400..U+045F, Ё/ё included).  Other bytes, and invalid UTF-8, are
 * copied unchanged.  how: 'U' upper, 'L' lower, 'C' first letter upper.
 */
int ls_fmt_case(struct ls_buf *b, const char *s, size_t n, int how);

#endif

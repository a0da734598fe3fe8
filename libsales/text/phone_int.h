/*
 * phone_int.h - what phone.c (the numbering plans) and phone_cell.c (a
 * number found among words) share, and nothing else sees.
 */
#ifndef LS_PHONE_INT_H
#define LS_PHONE_INT_H

#include <stddef.h>

#include "phone.h"

/* What one character of the input is. */
enum { LS_PH_BAD, LS_PH_DIGIT, LS_PH_PLUS, LS_PH_SEP, LS_PH_ALPHA, LS_PH_HASH, LS_PH_BROKEN };

/*
 * The digits a number may hold, keypad letters included: an international
 * and a trunk prefix on top of libphonenumber's 17-digit national number.
 */
#define LS_PH_MAXDIGITS	28

/*
 * Classify the character at s[0..n) (n > 0) and set *len to its length in
 * bytes, *digit to its value for LS_PH_DIGIT and to its keypad digit for
 * LS_PH_ALPHA (an ASCII letter).  LS_PH_BROKEN: malformed UTF-8 (*len 1).
 */
int ls_phone_char(const unsigned char *s, size_t n, size_t *len, int *digit);

/*
 * The digits d[0..nd) read as a number: international when plus, else by
 * the international, trunk and national readings of phone.h.  0 with the
 * E.164 form in out (LS_PHONE_MAX bytes), or LS_EDATA.
 */
int ls_phone_read(const char *d, size_t nd, int plus, const struct ls_phone_opts *o, char *out);

/* A number among words (phone_cell.c): ls_phone_parse()'s slow path, same contract. */
int ls_phone_cell(const char *in, size_t n, const struct ls_phone_opts *o, char *out,
    struct ls_phone_span *where);

/* Whether s[0..n), all digits and formatting, is written as a date (phone_cell.c). */
int ls_phone_is_date(const char *s, size_t n);

#endif

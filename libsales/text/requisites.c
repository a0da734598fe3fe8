/*
 * requisites.c - Russian payment requisites by their own rules.  See
 * requisites.h.  The weights are the published ones: the INN's from the
 * Federal Tax Service's order, the account key's 7-1-3 from the Bank of
 * Russia's.
 */
#include "requisites.h"

static int
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* sum(d[i] * w[i]) mod 11 mod 10 */
static int
inn_digit(const char *s, const int *w, size_t k)
{
	int sum = 0;

	for (size_t i = 0; i < k; i++)
		sum += (s[i] - '0') * w[i];
	return sum % 11 % 10;
}

enum ls_req_fault
ls_inn_check(const char *s, size_t n)
{
	static const int w10[] = { 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	static const int w11[] = { 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	static const int w12[] = { 3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8 };

	if (n != 10 && n != 12)
		return LS_REQ_LENGTH;
	if (!all_digits(s, n))
		return LS_REQ_DIGITS;
	if (n == 10)
		return inn_digit(s, w10, 9) == s[9] - '0' ? LS_REQ_OK : LS_REQ_CHECK;
	return inn_digit(s, w11, 10) == s[10] - '0' && inn_digit(s, w12, 11) == s[11] - '0' ?
	    LS_REQ_OK : LS_REQ_CHECK;
}

enum ls_req_fault
ls_kpp_check(const char *s, size_t n)
{
	if (n != 9)
		return LS_REQ_LENGTH;
	for (size_t i = 0; i < 9; i++) {
		int digit = s[i] >= '0' && s[i] <= '9';
		/* the reason code (5th and 6th) may be letters: 77AB01001 */
		if (!digit && !((i == 4 || i == 5) && s[i] >= 'A' && s[i] <= 'Z'))
			return LS_REQ_DIGITS;
	}
	return LS_REQ_OK;
}

enum ls_req_fault
ls_bik_check(const char *s, size_t n)
{
	if (n != 9)
		return LS_REQ_LENGTH;
	if (!all_digits(s, n))
		return LS_REQ_DIGITS;
	return s[0] == '0' && s[1] == '4' ? LS_REQ_OK : LS_REQ_BIK_FORM;
}

enum ls_req_fault
ls_account_check(const char *bik, const char *s, size_t n, int corr)
{
	static const int w[3] = { 7, 1, 3 };
	char key[23];
	int sum = 0;

	if (n != 20)
		return LS_REQ_LENGTH;
	if (!all_digits(s, n))
		return LS_REQ_DIGITS;
	if (corr) {
		key[0] = '0';
		key[1] = bik[4];
		key[2] = bik[5];
	} else {
		key[0] = bik[6];
		key[1] = bik[7];
		key[2] = bik[8];
	}
	for (size_t i = 0; i < 20; i++)
		key[3 + i] = s[i];
	/* the low digits of each product, weights 7 1 3 over and over: a multiple of 10 */
	for (size_t i = 0; i < 23; i++)
		sum += (key[i] - '0') * w[i % 3] % 10;
	return sum % 10 == 0 ? LS_REQ_OK : LS_REQ_CHECK;
}

const char *
ls_req_why(enum ls_req_fault f)
{
	switch (f) {
	case LS_REQ_OK:
		return "good";
	case LS_REQ_LENGTH:
		return "wrong length";
	case LS_REQ_DIGITS:
		return "a character that may not be there";
	case LS_REQ_CHECK:
		return "its check digits do not match (a typo?)";
	case LS_REQ_BIK_FORM:
		return "a Russian BIK starts with 04";
	}
	return "bad";
}

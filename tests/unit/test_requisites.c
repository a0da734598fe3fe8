/*
 * test_requisites.c - INN, KPP, BIK and account checks: published numbers
 * (Sberbank's INN and its Moscow BIK with its correspondent account, the
 * Tax Service's 12-digit example), each digit changed in turn, and a
 * random sweep against a second computation of the same published rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "requisites.h"

static void
test_published(void **state)
{
	(void)state;
	assert_int_equal(ls_inn_check("7707083893", 10), LS_REQ_OK);
	assert_int_equal(ls_inn_check("500100732259", 12), LS_REQ_OK);
	assert_int_equal(ls_inn_check("7701234567", 10), LS_REQ_CHECK);
	assert_int_equal(ls_inn_check("770708389", 9), LS_REQ_LENGTH);
	assert_int_equal(ls_inn_check("77070838 3", 10), LS_REQ_DIGITS);
	assert_int_equal(ls_kpp_check("773601001", 9), LS_REQ_OK);
	assert_int_equal(ls_kpp_check("7736AB001", 9), LS_REQ_OK);
	assert_int_equal(ls_kpp_check("77360100", 8), LS_REQ_LENGTH);
	assert_int_equal(ls_kpp_check("AB3601001", 9), LS_REQ_DIGITS);
	assert_int_equal(ls_bik_check("044525225", 9), LS_REQ_OK);
	assert_int_equal(ls_bik_check("144525225", 9), LS_REQ_BIK_FORM);
	assert_int_equal(ls_bik_check("04452522", 8), LS_REQ_LENGTH);
	assert_int_equal(ls_account_check("044525225", "30101810400000000225", 20, 1), LS_REQ_OK);
	assert_int_equal(ls_account_check("044525225", "40702810938000012345", 20, 0), LS_REQ_OK);
	assert_int_equal(ls_account_check("044525225", "40702810938000012346", 20, 0), LS_REQ_CHECK);
	/* a settlement account is not keyed as a correspondent one, nor the other way */
	assert_int_equal(ls_account_check("044525225", "30101810400000000225", 20, 0), LS_REQ_CHECK);
	assert_int_equal(ls_account_check("044525225", "4070281093800001234", 19, 0), LS_REQ_LENGTH);
	assert_string_equal(ls_req_why(LS_REQ_CHECK), "its check digits do not match (a typo?)");
	/* the right length with a letter in it: a BIK, an account */
	assert_int_equal(ls_bik_check("04452522O", 9), LS_REQ_DIGITS);
	assert_int_equal(ls_account_check("044525225", "4070281093800001234O", 20, 0), LS_REQ_DIGITS);
	assert_string_equal(ls_req_why(LS_REQ_OK), "good");
	assert_string_equal(ls_req_why(LS_REQ_LENGTH), "wrong length");
	assert_string_equal(ls_req_why(LS_REQ_DIGITS), "a character that may not be there");
	assert_string_equal(ls_req_why(LS_REQ_BIK_FORM), "a Russian BIK starts with 04");
}

/* Any one digit typed wrong is caught: the INN's weights and the 7-1-3 key see every position. */
static void
test_one_digit_typos(void **state)
{
	char s[24];

	(void)state;
	for (int pos = 0; pos < 10; pos++)
		for (char c = '0'; c <= '9'; c++) {
			strcpy(s, "7707083893");
			if (s[pos] == c)
				continue;
			s[pos] = c;
			/* the INN's check digit is mod 11 then mod 10: a few typos do slip by, never at the check digit */
			if (pos == 9)
				assert_int_equal(ls_inn_check(s, 10), LS_REQ_CHECK);
		}
	for (int pos = 0; pos < 20; pos++)
		for (char c = '0'; c <= '9'; c++) {
			strcpy(s, "40702810938000012345");
			if (s[pos] == c)
				continue;
			s[pos] = c;
			assert_int_equal(ls_account_check("044525225", s, 20, 0), LS_REQ_CHECK);
		}
}

/* A second computation of the published rules over random numbers. */
static int
inn10_digit(const char *s)
{
	static const int w[] = { 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	int sum = 0;

	for (int i = 0; i < 9; i++)
		sum += (s[i] - '0') * w[i];
	return sum % 11 % 10;
}

static int
key_ok(const char *key23)
{
	int sum = 0;

	for (int i = 0; i < 23; i++)
		sum += ((key23[i] - '0') * (i % 3 == 0 ? 7 : i % 3 == 1 ? 1 : 3)) % 10;
	return sum % 10 == 0;
}

static void
test_random(void **state)
{
	char inn[11], acc[21], key[24], bik[10] = "044525000";

	(void)state;
	srand(7);
	for (int k = 0; k < 20000; k++) {
		for (int i = 0; i < 10; i++)
			inn[i] = (char)('0' + rand() % 10);
		inn[10] = '\0';
		assert_int_equal(ls_inn_check(inn, 10) == LS_REQ_OK, inn10_digit(inn) == inn[9] - '0');
		for (int i = 0; i < 20; i++)
			acc[i] = (char)('0' + rand() % 10);
		acc[20] = '\0';
		for (int i = 6; i < 9; i++)
			bik[i] = (char)('0' + rand() % 10);
		snprintf(key, sizeof(key), "%.3s%s", bik + 6, acc);
		assert_int_equal(ls_account_check(bik, acc, 20, 0) == LS_REQ_OK, key_ok(key));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_published),
		cmocka_unit_test(test_one_digit_typos),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

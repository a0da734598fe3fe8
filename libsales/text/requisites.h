/*
 * requisites.h - Russian payment requisites checked by their own rules
 * before they reach a document a client pays by: the INN's check digits,
 * the KPP's form, the BIK's, and the settlement and correspondent
 * accounts' control key against the BIK (the Bank of Russia's rule of
 * 8 September 1997 N 515).  Pure functions over text; nothing prints.
 */
#ifndef LS_REQUISITES_H
#define LS_REQUISITES_H

#include <stddef.h>

/* What a check found: 0 good, else one of these (ls_req_why() words it). */
enum ls_req_fault {
	LS_REQ_OK,
	LS_REQ_LENGTH,		/* not as many characters as the kind has */
	LS_REQ_DIGITS,		/* a character that may not be there */
	LS_REQ_CHECK,		/* the check digit or control key does not match */
	LS_REQ_BIK_FORM		/* a BIK that does not start with 04 (Russia) */
};

/* An INN: 10 digits (an organisation) or 12 (a person, an entrepreneur), check digits right. */
enum ls_req_fault ls_inn_check(const char *s, size_t n);
/* A KPP: 9 characters, NNNN PP NNN, P a digit or a capital Latin letter. */
enum ls_req_fault ls_kpp_check(const char *s, size_t n);
/* A BIK: 9 digits starting with 04. */
enum ls_req_fault ls_bik_check(const char *s, size_t n);
/*
 * A 20-digit account at the bank of bik (already checked): a settlement
 * account keyed with the BIK's last three digits, or (corr != 0) the
 * bank's correspondent account, keyed with "0" and the BIK's fifth and
 * sixth digits.
 */
enum ls_req_fault ls_account_check(const char *bik, const char *s, size_t n, int corr);
/* The fault in words, for "seller.inn '7701234567': <words>". */
const char *ls_req_why(enum ls_req_fault f);

#endif

/*
 * test_doc_rules.c - approval rules (doc_rules.c): the terms a document
 * gets from its template's kind and its amount, and who is missing from a
 * set of different approvers.  The journal and the commands around them
 * are tests/cli/doc-render/approval-rules*.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "doc_int.h"

static const char company[] =
    "approvers: {ivanov: {}, petrova: {}, sidorov: {}}\n"
    "kinds: {invoice_ru.html: invoice, contract_ru.md: contract}\n"
    "approval_rules:\n"
    "  - {kind: invoice, over: 1000000, need: [ivanov]}\n"
    "  - {kind: contract, need: [ivanov]}\n"
    "  - {kind: contract, over: 5000000, approvals: 2}\n"
    "  - {over: 9000000, need: [sidorov]}\n";

/* The terms of a document from template t with the amount a (kopecks; < 0: none). */
static void
terms_of(const char *t, int64_t a, const char *want)
{
	struct ls_error e = { 0 };
	struct ls_config *c = ls_config_load_mem("company.yaml", company, strlen(company), &e);
	struct ls_doc_rules *r = NULL;
	struct ls_buf b = { 0 };

	assert_non_null(c);
	assert_int_equal(ls_doc_rules_load(c, &r, &e), 0);
	assert_true(ls_doc_rules_any(r));
	assert_int_equal(ls_doc_rules_terms(r, t, a >= 0, a < 0 ? 0 : a, &b), 0);
	assert_string_equal(b.p, want);
	ls_buf_free(&b);
	ls_doc_rules_free(r);
	ls_config_free(c);
}

static void
test_terms(void **state)
{
	(void)state;
	/* the threshold is "over": the amount itself does not reach it */
	terms_of("templates/invoice_ru.html", 100000000, "kind=invoice amount=1000000.00 approvals=1");
	terms_of("templates/invoice_ru.html", 100000001, "kind=invoice amount=1000000.01 approvals=1 need=ivanov");
	terms_of("invoice_ru.html.mustache", 5, "kind=invoice amount=0.05 approvals=1");
	/* a contract without items has no amount: the rules with over: do not hold */
	terms_of("contract_ru.md", -1, "kind=contract approvals=1 need=ivanov");
	terms_of("contract_ru.md", 600000000, "kind=contract amount=6000000.00 approvals=2 need=ivanov");
	/* rules add up, each name once; a kindless rule holds for every kind and for none */
	terms_of("contract_ru.md", 1000000000, "kind=contract amount=10000000.00 approvals=2 need=ivanov,sidorov");
	terms_of("letter.md", 1000000000, "amount=10000000.00 approvals=1 need=sidorov");
	terms_of("letter.md", -1, "approvals=1");
}

static void
missing(const char *terms, const char *const *have, size_t n, int want_rc, const char *want)
{
	struct ls_buf b = { 0 };

	assert_int_equal(ls_doc_terms_missing(terms, have, n, &b), want_rc);
	assert_string_equal(b.p ? b.p : "", want);
	ls_buf_free(&b);
}

static void
test_missing(void **state)
{
	const char *none[] = { NULL }, *p[] = { "petrova" }, *i[] = { "ivanov" },
	    *pi[] = { "petrova", "ivanov" }, *ps[] = { "petrova", "sidorov" };

	(void)state;
	missing(NULL, none, 0, 1, "an approval");
	missing("approvals=2 need=ivanov", none, 0, 1, "approval by ivanov and 1 more approver (2 different people)");
	missing(NULL, p, 1, 0, "");
	missing("kind=invoice approvals=1 need=ivanov", p, 1, 1, "approval by ivanov");
	missing("kind=invoice approvals=1 need=ivanov", i, 1, 0, "");
	missing("approvals=2 need=ivanov", i, 1, 1, "1 more approver (2 different people; so far ivanov)");
	missing("approvals=2 need=ivanov", pi, 2, 0, "");
	missing("approvals=2 need=ivanov,sidorov", p, 1, 1, "approval by ivanov, sidorov");
	missing("approvals=3 need=ivanov", ps, 2, 1, "approval by ivanov");
	missing("approvals=3", p, 1, 1, "2 more approvers (3 different people; so far petrova)");
}

/* Mistakes are config errors at the key's position. */
static void
bad(const char *yaml, const char *want)
{
	struct ls_error e = { 0 };
	struct ls_config *c = ls_config_load_mem("c.yaml", yaml, strlen(yaml), &e);
	struct ls_doc_rules *r = NULL;

	assert_non_null(c);
	assert_int_equal(ls_doc_rules_load(c, &r, &e), LS_ECONFIG);
	assert_null(r);
	if (strstr(e.msg, want) == NULL)
		fail_msg("'%s' does not say '%s'", e.msg, want);
	ls_config_free(c);
}

static void
test_bad(void **state)
{
	(void)state;
	bad("kinds: {a.md: x}\napproval_rules: [{kind: y, approvals: 2}]\n", "kind 'y' is no template's");
	bad("approvers: [a]\napproval_rules: [{need: [b]}]\n", "need: b is not among approvers:");
	bad("approval_rules: [{approvals: 101}]\n", "approvals: expected 1 to 100");
	bad("approval_rules: [{over: -5, approvals: 2}]\n", "over: expected an amount");
	bad("approval_rules: [{over: 10}]\n", "a rule says who approves");
	bad("approval_rules: [{need: []}]\n", "need: names no approver");
	bad("approval_rules: [{need: [\"a,b\"]}]\n", "is not an approver's name");
	bad("kinds: [a]\n", "expected a mapping");
	/* each key's own type, and a kind that is no word */
	bad("kinds: {a.md: \"\"}\n", "kinds: '' is not a kind (a word: no blanks, ',' or '=')");
	bad("kinds: {a.md: \"big deal\"}\n", "kinds: 'big deal' is not a kind");
	bad("kinds: {a.md: [x]}\n", "expected a string");
	bad("approval_rules: {need: [a]}\n", "expected a sequence");
	bad("approval_rules: [{kind: [x], approvals: 2}]\n", "expected a string");
	bad("approval_rules: [{over: [1], approvals: 2}]\n", "expected a scalar, got a sequence");
	bad("approval_rules: [{need: a}]\n", "expected a sequence");
	bad("approval_rules: [{need: [a], colour: red}]\n", "unknown key 'colour'");
	/* need: names an approver from approvers: as a mapping, or as a list */
	bad("approvers: {a: {login: a}}\napproval_rules: [{need: [b]}]\n", "need: b is not among approvers:");
	{
		static const char *const ok[] = {
			"approvers: {a: {login: a}, b: {}}\napproval_rules: [{need: [b]}]\n",
			"approvers: [a, b]\napproval_rules: [{need: [b, a]}]\n",
			"approval_rules: [{need: [anyone]}]\n",
		};

		for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
			struct ls_error e = { 0 };
			struct ls_config *c = ls_config_load_mem("c.yaml", ok[i], strlen(ok[i]), &e);
			struct ls_doc_rules *r = NULL;

			assert_non_null(c);
			assert_int_equal(ls_doc_rules_load(c, &r, &e), 0);
			assert_true(ls_doc_rules_any(r));
			ls_doc_rules_free(r);
			ls_config_free(c);
		}
	}
}

static void
test_none(void **state)
{
	struct ls_error e = { 0 };
	struct ls_config *c = ls_config_load_mem("c.yaml", "vat: none\n", 10, &e);
	struct ls_doc_rules *r = (struct ls_doc_rules *)&e;
	struct ls_buf b = { 0 };

	(void)state;
	assert_int_equal(ls_doc_rules_load(c, &r, &e), 0);
	assert_null(r);
	assert_false(ls_doc_rules_any(r));
	assert_int_equal(ls_doc_rules_terms(NULL, "x.md", 1, 100, &b), 0);
	assert_string_equal(b.p, "amount=1.00 approvals=1");
	ls_buf_free(&b);
	ls_doc_rules_free(NULL);
	ls_config_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_terms),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_doc_payment.c - the invoice's payment QR code: the GOST R 56042-2014
 * string from the company config and the VAT groups, its refusals, and the
 * SVG drawing.  That the drawn code decodes to the string is checked from
 * the printed page (tests/cli/doc-render/payment-qr: Chromium, pdftoppm,
 * zbarimg).
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
#include "doc_payment.h"
#include "qr.h"

static const char company[] =
    "seller:\n"
    "  name: \"ООО «Ромашка»\"\n"
    "  inn: \"7707083893\"\n"
    "  kpp: \"770701001\"\n"
    "  bank:\n"
    "    name: \"ПАО «Банк Пример», г. Москва\"\n"
    "    bik: \"044525225\"\n"
    "    account: \"40702810938000012345\"\n"
    "    corr_account: \"30101810400000000225\"\n";

static char *
text_of(const char *yaml, int64_t total, const struct ls_vat_group *g, size_t ng, struct ls_error *e, int *rc)
{
	struct ls_config *c = ls_config_load_mem("company.yaml", yaml, strlen(yaml), e);
	struct ls_buf b = { 0 };

	assert_non_null(c);
	*rc = ls_doc_payment_text(ls_config_root(c), "D-17", "07.12.2026", total, g, ng, &b, e);
	ls_config_free(c);
	if (*rc != 0) {
		ls_buf_free(&b);
		return NULL;
	}
	ls_buf_put(&b, "", 1);
	return b.p;
}

static void
test_text(void **state)
{
	struct ls_vat_group g[2] = {
		{ .rate = 2200, .base = 100000, .vat = 22000, .total = 122000, .nlines = 2 },
		{ .vat_none = 1, .base = 5050, .total = 5050, .nlines = 1 },
	};
	struct ls_error e = { 0 };
	char *s;
	int rc;

	(void)state;
	s = text_of(company, 127050, g, 2, &e, &rc);
	assert_int_equal(rc, 0);
	assert_string_equal(s, "ST00012|Name=ООО «Ромашка»|PersonalAcc=40702810938000012345|"
	    "BankName=ПАО «Банк Пример», г. Москва|BIC=044525225|CorrespAcc=30101810400000000225|"
	    "PayeeINN=7707083893|KPP=770701001|Sum=127050|"
	    "Purpose=Оплата по счёту № D-17 от 07.12.2026, в т.ч. НДС 22% 220.00, без НДС");
	free(s);
}

static void
test_refused(void **state)
{
	struct ls_vat_group g = { .rate = 2000, .base = 100, .vat = 20, .total = 120, .nlines = 1 };
	struct ls_error e = { 0 };
	int rc;

	(void)state;
	/* a required requisite missing: the key is named */
	assert_null(text_of("seller: {name: X, bank: {name: B, account: \"1\", corr_account: \"2\"}}\n", 120,
	    &g, 1, &e, &rc));
	assert_int_equal(rc, LS_EDATA);
	assert_non_null(strstr(e.msg, "seller.bank.bik"));
	/* the separator inside a value would shift every field after it */
	assert_null(text_of("seller: {name: \"A|B\", bank: {name: B, bik: \"1\", account: \"1\", "
	    "corr_account: \"2\"}}\n", 120, &g, 1, &e, &rc));
	assert_int_equal(rc, LS_EDATA);
	assert_non_null(strstr(e.msg, "seller.name holds a '|'"));
	/* nothing to pay */
	assert_null(text_of(company, 0, &g, 1, &e, &rc));
	assert_int_equal(rc, LS_EDATA);
	assert_null(text_of(company, -150, &g, 1, &e, &rc));
	assert_non_null(strstr(e.msg, "-1.50"));
	/* INN and KPP may be absent (a payee abroad has none): left out, not empty */
	char *s = text_of("seller: {name: X, bank: {name: B, bik: \"1\", account: \"2\", corr_account: \"3\"}}\n",
	    120, &g, 1, &e, &rc);
	assert_non_null(s);
	assert_null(strstr(s, "PayeeINN"));
	free(s);
}

static void
test_svg(void **state)
{
	struct ls_buf b = { 0 };
	struct ls_error e = { 0 };
	char big[3000];

	(void)state;
	assert_int_equal(ls_qr_svg("ST00012|Name=X", 14, 35, &b, &e), 0);
	ls_buf_put(&b, "", 1);
	assert_true(strncmp(b.p, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_non_null(strstr(b.p, "width=\"35mm\""));
	/* the top-left finder pattern: seven dark modules in a row after the quiet zone */
	assert_non_null(strstr(b.p, "M4 4h7v1h-7z"));
	assert_non_null(strstr(b.p, "</svg>"));
	ls_buf_free(&b);
	assert_int_equal(ls_qr_svg("", 0, 35, &b, &e), LS_EDATA);
	memset(big, 'x', sizeof(big));
	assert_int_equal(ls_qr_svg(big, sizeof(big), 35, &b, &e), LS_EDATA);
	assert_non_null(strstr(e.msg, "too long"));
	ls_buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_svg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

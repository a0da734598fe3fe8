/* test_document.c - invoice maths (VAT added and included), safe document names, the manifest's checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "document.h"

struct line_case {
	int64_t price, qty, rate;
	int none;
	int64_t total, vat;
};

static void
check(enum ls_vat_mode mode, const struct line_case *c, size_t n, int64_t sub, int64_t vat,
    int64_t tot)
{
	struct ls_invoice_line l[8];
	int64_t s, v, t;

	for (size_t i = 0; i < n; i++) {
		memset(&l[i], 0, sizeof l[i]);
		l[i].price = c[i].price;
		l[i].qty = c[i].qty;
		l[i].rate = c[i].rate;
		l[i].vat_none = c[i].none;
	}
	assert_int_equal(ls_invoice_compute(l, n, mode, &s, &v, &t, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(l[i].total, c[i].total);
		assert_int_equal(l[i].vat, c[i].vat);
	}
	assert_int_equal(s, sub);
	assert_int_equal(v, vat);
	assert_int_equal(t, tot);
}

static void
test_vat_added(void **state)
{
	/* price kopecks, qty at scale 3, rate at scale 2 */
	static const struct line_case c[] = {
		{ 100000, 2000, 2200, 0, 200000, 44000 },	/* 1000.00 x 2 at 22% */
		{ 89040, 3500, 2200, 0, 311640, 68561 },	/* 3116.40: VAT 685.608 -> 685.61 */
		{ 50000, 1000, 1000, 0, 50000, 5000 },		/* an item's own 10% */
		{ 333333, 1500, 2200, 1, 500000, 0 },		/* 4999.995 -> 5000.00, no VAT */
		{ 35, 3000, 2000, 0, 105, 21 },			/* 1.05 at 20%: 0.21 */
		{ 1, 500, 2000, 0, 1, 0 },			/* 0.005 -> 0.01; VAT 0.002 -> 0 */
	};

	(void)state;
	check(LS_VAT_ADDED, c, 6, 200000 + 311640 + 50000 + 500000 + 105 + 1,
	    44000 + 68561 + 5000 + 21, 1061746 + 117582);
}

static void
test_vat_included(void **state)
{
	static const struct line_case c[] = {
		{ 100000, 1000, 2000, 0, 100000, 16667 },	/* 1000.00 incl. 20%: 166.666 -> 166.67 */
		{ 100000, 2000, 2200, 0, 200000, 36066 },	/* 2000 x 22/122 = 360.655 -> 360.66 */
		{ 50000, 1000, 1000, 0, 50000, 4545 },		/* 45.4545 -> 45.45 */
		{ 10000, 1000, 0, 1, 10000, 0 },
	};

	(void)state;
	check(LS_VAT_INCLUDED, c, 4, 360000 - 57278, 57278, 360000);
}

static void
test_vat_negative_and_empty(void **state)
{
	static const struct line_case c[] = {
		{ -1000, 1000, 2000, 0, -1000, -200 },		/* a discount line */
		{ 5, 1000, 1000, 0, 5, 1 },			/* 0.005 -> 0.01 half away from zero */
		{ -5, 1000, 1000, 0, -5, -1 },
	};
	struct ls_invoice_line none[1];
	int64_t s = 1, v = 1, t = 1;

	(void)state;
	check(LS_VAT_ADDED, c, 3, -1000, -200, -1200);
	assert_int_equal(ls_invoice_compute(none, 0, LS_VAT_ADDED, &s, &v, &t, NULL), 0);
	assert_int_equal(s, 0);
	assert_int_equal(v, 0);
	assert_int_equal(t, 0);
}

static void
test_vat_overflow(void **state)
{
	struct ls_invoice_line l[2] = { { INT64_MAX / 2, 1000, 2000, 0, 0, 0 },
		{ INT64_MAX / 2, 1000, 2000, 0, 0, 0 } };
	struct ls_error err = { 0 };
	int64_t s, v, t;

	(void)state;
	assert_int_equal(ls_invoice_compute(l, 2, LS_VAT_ADDED, &s, &v, &t, &err), LS_EDATA);
}

static void
test_doc_write_names(void **state)
{
	char dir[] = "/tmp/test_document.XXXXXX", out[512], *path;
	static const char *const bad[] = { "", "/etc/x", "../x", "a/../../x", "a/..", "x\ny",
		"link/x", "sub/", NULL };
	int exists;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(out, sizeof out, "%s/out", dir);
	assert_int_equal(mkdir(out, 0777), 0);
	snprintf(out, sizeof out, "%s/out/link", dir);
	assert_int_equal(symlink("..", out), 0);
	snprintf(out, sizeof out, "%s/out", dir);
	for (int i = 0; bad[i]; i++) {
		path = NULL;
		assert_int_equal(ls_doc_write(out, bad[i], "x", 1, 1, &path, &exists, NULL), LS_EDATA);
		assert_null(path);
	}
	assert_int_equal(ls_doc_write(out, "a.txt", "hello", 5, 0, &path, &exists, NULL), 0);
	assert_non_null(strstr(path, "/out/a.txt"));
	free(path);
	assert_int_equal(ls_doc_write(out, "a.txt", "again", 5, 0, &path, &exists, NULL), LS_EDATA);
	assert_int_equal(exists, 1);
	assert_int_equal(ls_doc_write(out, "a.txt", "again", 5, 1, &path, &exists, NULL), 0);
	free(path);
	/* "./a.txt" and "dir/./x" stay inside */
	assert_int_equal(ls_doc_write(out, "./b.txt", "b", 1, 0, &path, &exists, NULL), 0);
	free(path);
	snprintf(out, sizeof out, "rm -rf %s", dir);
	assert_int_equal(system(out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vat_added),
		cmocka_unit_test(test_vat_included),
		cmocka_unit_test(test_vat_negative_and_empty),
		cmocka_unit_test(test_vat_overflow),
		cmocka_unit_test(test_doc_write_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

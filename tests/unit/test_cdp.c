/* test_cdp.c - cdp.h's pure parts: file URLs, the outbox check of the page's requests, base64. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cdp.h"

static void
test_file_url(void **state)
{
	struct ls_buf b = { 0 };
	const char *p = "/tmp/out box/Счёт #1?.html";

	(void)state;
	assert_int_equal(ls_cdp_file_url(&b, p, strlen(p)), 0);
	assert_string_equal(b.p, "/tmp/out%20box/%D0%A1%D1%87%D1%91%D1%82%20%231%3F.html");
	/* what is encoded is inside the folder it names */
	b.n = 0;
	assert_int_equal(ls_buf_puts(&b, "file://"), 0);
	assert_int_equal(ls_cdp_file_url(&b, p, strlen(p)), 0);
	assert_int_equal(ls_cdp_url_inside(b.p, "/tmp/out box/"), 1);
	assert_int_equal(ls_cdp_url_inside(b.p, "/tmp/out/"), 0);
	ls_buf_free(&b);
}

/* The page's requests: only files inside the outbox, however the URL spells them. */
static void
test_inside(void **state)
{
	static const struct { const char *url; int ok; } t[] = {
		{ "file:///srv/outbox/D-0001.html", 1 },
		{ "file:///srv/outbox/img/logo.png", 1 },
		{ "file:///srv/outbox/D-0001.html#top", 1 },
		{ "file:///srv/outbox/%44-0001.html", 1 },		/* 'D' escaped */
		{ "file:///srv/outbox/a%2Cb.html", 1 },
		{ "file:///srv/outbox/", 0 },				/* the folder itself */
		{ "file:///srv/outbox", 0 },
		{ "file:///srv/outbox2/x.html", 0 },
		{ "file:///srv/outbox/../secret", 0 },
		{ "file:///srv/outbox/%2e%2e/secret", 0 },
		{ "file:///srv/outbox/%2E%2E/secret", 0 },
		{ "file:///srv/outbox/a/..", 0 },
		{ "file:///srv/outbox/./x", 0 },
		{ "file:///srv/outbox/x%00.html", 0 },
		{ "file:///srv/outbox/x%zz", 0 },
		{ "file:///srv/outbox/x%4", 0 },
		{ "file:///etc/passwd", 0 },
		{ "file:///etc/passwd?/srv/outbox/x", 0 },
		{ "http://example.com/srv/outbox/x", 0 },
		{ "https:///srv/outbox/x", 0 },
		{ "data:text/html,hi", 0 },
		{ "", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (ls_cdp_url_inside(t[i].url, "/srv/outbox/") != t[i].ok)
			fail_msg("%s: expected %d", t[i].url, t[i].ok);
}

static void
test_base64(void **state)
{
	static const struct { const char *in, *out; size_t n; } ok[] = {
		{ "", "", 0 }, { "Zg==", "f", 1 }, { "Zm8=", "fo", 2 }, { "Zm9v", "foo", 3 },
		{ "Zm9vYmFy", "foobar", 6 }, { "JVBERi0xLjQK", "%PDF-1.4\n", 9 }, { "AP8=", "\0\xff", 2 },
		{ "+/+/", "\xfb\xff\xbf", 3 },
	};
	static const char *const bad[] = { "Zg=", "Zg", "Z===", "Zg=a", "Zm9v\n", "Zm 9", "Zg==Zg==", "Zm9-" };
	struct ls_buf b = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		b.n = 0;
		assert_int_equal(ls_cdp_base64(&b, ok[i].in, strlen(ok[i].in)), 0);
		assert_int_equal(b.n, ok[i].n);
		if (b.n)
			assert_memory_equal(b.p, ok[i].out, b.n);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		b.n = 0;
		if (ls_cdp_base64(&b, bad[i], strlen(bad[i])) != LS_EDATA)
			fail_msg("'%s' decoded", bad[i]);
	}
	ls_buf_free(&b);
}

/* A browser that is not there: LS_ECONFIG saying how to install it; a path that is no program, likewise. */
static void
test_find(void **state)
{
	struct ls_error err = { 0 };
	char *path = NULL;
	const char *old = getenv("PATH");
	char *save = old ? strdup(old) : NULL;

	(void)state;
	setenv("PATH", "/nonexistent-dir", 1);
	assert_int_equal(ls_cdp_find(NULL, &path, &err), LS_ECONFIG);
	assert_null(path);
	assert_non_null(strstr(err.msg, "apt install chromium"));
	setenv("PATH", "/nonexistent-dir::/bin", 1);
	assert_int_equal(ls_cdp_find("sh", &path, &err), 0);
	assert_string_equal(path, "/bin/sh");
	free(path);
	assert_int_equal(ls_cdp_find("/etc/passwd", &path, &err), LS_ECONFIG);
	assert_int_equal(ls_cdp_find("/bin/sh", &path, &err), 0);
	assert_string_equal(path, "/bin/sh");
	free(path);
	if (save) {
		setenv("PATH", save, 1);
		free(save);
	}
	/* a start without a browser fails the same way, and leaves no profile behind (not checked here) */
	{
		struct ls_cdp_opts o = { .program = "/nonexistent/chromium", .allow_dir = "/tmp" };

		assert_null(ls_cdp_start(&o, &err));
		assert_int_equal(err.status, LS_ECONFIG);
		o.allow_dir = "relative";
		assert_null(ls_cdp_start(&o, &err));
		assert_int_equal(err.status, LS_EUSAGE);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_url),
		cmocka_unit_test(test_inside),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

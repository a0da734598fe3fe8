/*
 * test_cdp.c - cdp.h: file URLs, the outbox check of the page's requests,
 * base64; and the protocol driven against a fake browser.
 *
 * The fake is this binary run again (the library executes it as its
 * "chromium": it sees --remote-debugging-pipe among its arguments): it reads
 * the NUL-terminated commands on fd 3 and answers on fd 4 as the scenario
 * named by LS_FAKE_CDP says, logging every command to LS_FAKE_LOG.  So each
 * way a browser can misbehave (an answer that is not JSON, a tab without an
 * id, a crash, a silence, an exit) is played exactly, without Chromium.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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


/* ---- the fake browser (the child's side) ---- */

static void
fake_send(const char *msg)
{
	size_t n = strlen(msg) + 1;	/* with its NUL */

	if (write(4, msg, n) != (ssize_t)n)
		_exit(120);
}

static void
fake_reply(long id, const char *result)
{
	char m[512];

	snprintf(m, sizeof m, "{\"id\":%ld,\"result\":%s}", id, result);
	fake_send(m);
}

static int
is(const char *msg, const char *method)
{
	char want[128];

	snprintf(want, sizeof want, "\"method\":\"%s\"", method);
	return strstr(msg, want) != NULL;
}

/* One command: answered (or not) as the scenario sc plays it. */
static void
fake_answer(const char *sc, const char *msg)
{
	const char *p = strstr(msg, "\"id\":");
	long id = p ? atol(p + 5) : -1;
	char m[512];

	if (is(msg, "Browser.close"))
		_exit(0);
	if (is(msg, "Browser.getVersion")) {
		if (!strcmp(sc, "exit3"))
			_exit(3);
		if (!strcmp(sc, "signal"))
			kill(getpid(), SIGKILL);
		if (!strcmp(sc, "silent"))
			return;
		if (!strcmp(sc, "not-json")) {
			snprintf(m, sizeof m, "{\"id\":%ld,", id);
			fake_send(m);
			return;
		}
		fake_reply(id, "{\"product\":\"Fake/1\"}");
	} else if (is(msg, "Target.createTarget")) {
		if (!strcmp(sc, "create-error")) {
			snprintf(m, sizeof m, "{\"id\":%ld,\"error\":{\"code\":-32000,\"message\":\"no tabs\"}}", id);
			fake_send(m);
		} else
			fake_reply(id, !strcmp(sc, "no-target") ? "{}" : "{\"targetId\":\"T1\"}");
	} else if (is(msg, "Target.attachToTarget")) {
		if (!strcmp(sc, "attach-error")) {
			snprintf(m, sizeof m, "{\"id\":%ld,\"error\":{\"message\":\"no such target\"}}", id);
			fake_send(m);
		} else
			fake_reply(id, !strcmp(sc, "no-session") ? "{}" : "{\"sessionId\":\"S1\"}");
	} else if (is(msg, "Page.enable") && !strcmp(sc, "enable-error")) {
		snprintf(m, sizeof m, "{\"id\":%ld,\"error\":{\"message\":\"Page domain unavailable\"}}", id);
		fake_send(m);
	} else if (is(msg, "Fetch.enable") && !strcmp(sc, "deaf")) {
		fake_reply(id, "{}");
		for (;;)
			pause();	/* reads nothing more: the next command fills the socket */
	} else if (is(msg, "Page.navigate")) {
		if (strstr(msg, "missing")) {
			fake_reply(id, "{\"frameId\":\"F\",\"errorText\":\"net::ERR_FILE_NOT_FOUND\"}");
			return;
		}
		if (!strcmp(sc, "crash")) {
			fake_send("{\"method\":\"Inspector.targetCrashed\",\"sessionId\":\"S1\",\"params\":{}}");
			return;
		}
		if (!strcmp(sc, "detached")) {
			fake_send("{\"method\":\"Inspector.detached\",\"sessionId\":\"S1\","
			    "\"params\":{\"reason\":\"Render process gone.\"}}");
			return;
		}
		if (!strcmp(sc, "no-load")) {
			fake_reply(id, "{\"frameId\":\"F\"}");
			_exit(1);	/* gone before the page loaded */
		}
		if (!strcmp(sc, "paused-bad")) {
			fake_send("{\"method\":\"Fetch.requestPaused\",\"sessionId\":\"S1\",\"params\":{}}");
			return;
		}
		/* the page asks for a file outside the outbox and one inside; another tab's events and a stray answer pass by */
		fake_send("{\"method\":\"Fetch.requestPaused\",\"sessionId\":\"S1\","
		    "\"params\":{\"requestId\":\"r1\",\"request\":{\"url\":\"file:///etc/passwd\"}}}");
		snprintf(m, sizeof m, "{\"method\":\"Fetch.requestPaused\",\"sessionId\":\"S1\","
		    "\"params\":{\"requestId\":\"r2\",\"request\":{\"url\":\"file://%s/logo.png\"}}}",
		    getenv("LS_FAKE_DIR"));
		fake_send(m);
		fake_send("{\"method\":\"Page.loadEventFired\",\"sessionId\":\"S9\",\"params\":{}}");
		fake_send("{\"method\":\"Page.frameNavigated\",\"params\":{}}");
		fake_send("{\"id\":99999,\"result\":{}}");
		if (!strcmp(sc, "early-load"))
			fake_send("{\"method\":\"Page.loadEventFired\",\"sessionId\":\"S1\",\"params\":{}}");
		fake_reply(id, "{\"frameId\":\"F\"}");
		if (strcmp(sc, "early-load") != 0)
			fake_send("{\"method\":\"Page.loadEventFired\",\"sessionId\":\"S1\",\"params\":{}}");
	} else if (is(msg, "Page.printToPDF")) {
		if (!strcmp(sc, "print-error")) {
			snprintf(m, sizeof m, "{\"id\":%ld,\"error\":{\"code\":-32000}}", id);
			fake_send(m);
		} else
			fake_reply(id, !strcmp(sc, "no-data") ? "{}" : !strcmp(sc, "not-pdf") ?
			    "{\"data\":\"aGVsbG8=\"}" : "{\"data\":\"JVBERi0xLjQK\"}");
	} else
		fake_reply(id, "{}");
}

static _Noreturn void
fake_browser(int argc, char *argv[])
{
	const char *sc = getenv("LS_FAKE_CDP"), *log = getenv("LS_FAKE_LOG");
	static char in[1 << 16];
	size_t n = 0;

	/* a profile as Chromium leaves one: files and folders, for ls_cdp_stop() to remove */
	for (int i = 1; i < argc; i++)
		if (strncmp(argv[i], "--user-data-dir=", 16) == 0) {
			char path[512];
			FILE *f;

			snprintf(path, sizeof path, "%s/Default", argv[i] + 16);
			mkdir(path, 0700);
			snprintf(path, sizeof path, "%s/Default/Preferences", argv[i] + 16);
			if ((f = fopen(path, "w")) != NULL)
				fclose(f);
		}
	fputs("fake chromium: starting\n", stderr);
	fflush(stderr);
	for (;;) {
		ssize_t k = read(3, in + n, sizeof in - n);
		char *nul;

		if (k <= 0)
			_exit(k == 0 ? 0 : 121);
		n += (size_t)k;
		while ((nul = memchr(in, '\0', n)) != NULL) {
			size_t len = (size_t)(nul - in) + 1;

			if (log) {
				FILE *f = fopen(log, "a");

				if (f) {
					fprintf(f, "%s\n", in);
					fclose(f);
				}
			}
			fake_answer(sc ? sc : "", in);
			memmove(in, in + len, n - len);
			n -= len;
		}
		if (n == sizeof in)
			_exit(122);
	}
}

/* ---- the library against it ---- */

static char self[4096];		/* this binary: the fake's program */
static char dir[64];		/* a fresh folder: TMPDIR (the profiles) and the outbox */
static char outbox[128];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/test_cdp.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(outbox, sizeof outbox, "%s/outbox", dir);
	assert_int_equal(mkdir(outbox, 0700), 0);
	setenv("TMPDIR", dir, 1);
	setenv("LS_FAKE_DIR", outbox, 1);
	return 0;
}

/* what is left in dir besides the outbox: the browser's profile must be gone */
static int
leftovers(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "outbox") &&
		    strcmp(e->d_name, "log") && strcmp(e->d_name, "err"))
			n++;
	closedir(d);
	return n;
}

static int
teardown(void **state)
{
	char path[256];

	(void)state;
	assert_int_equal(leftovers(), 0);
	snprintf(path, sizeof path, "%s/log", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/err", dir);
	unlink(path);
	rmdir(outbox);
	assert_int_equal(rmdir(dir), 0);
	unsetenv("LS_FAKE_CDP");
	unsetenv("LS_FAKE_LOG");
	return 0;
}

static struct ls_cdp *
start(const char *scenario, int timeout_ms, struct ls_error *err)
{
	struct ls_cdp_opts o = { .program = self, .allow_dir = outbox, .timeout_ms = timeout_ms };

	setenv("LS_FAKE_CDP", scenario, 1);
	return ls_cdp_start(&o, err);
}

static char *
slurp(const char *name)
{
	char path[256];
	static char text[8192];
	FILE *f;
	size_t n;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	n = fread(text, 1, sizeof text - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* A page printed: its requests outside the outbox refused, inside let through; the PDF's bytes returned. */
static void
test_print(void **state)
{
	static const char *const scenarios[] = { "", "early-load" };
	char page[256], logpath[256], errpath[256];
	const char *log;

	(void)state;
	snprintf(page, sizeof page, "%s/D-0001.html", outbox);
	snprintf(logpath, sizeof logpath, "%s/log", dir);
	snprintf(errpath, sizeof errpath, "%s/err", dir);
	for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++) {
		struct ls_cdp_opts o = { .program = self, .allow_dir = outbox, .stderr_path = errpath };
		struct ls_error err = { 0 };
		struct ls_buf pdf = { 0 };
		struct ls_cdp *c;

		unlink(logpath);
		setenv("LS_FAKE_LOG", logpath, 1);
		setenv("LS_FAKE_CDP", scenarios[i], 1);
		assert_non_null(c = ls_cdp_start(&o, &err));
		assert_int_equal(ls_cdp_print_pdf(c, page, &pdf, &err), 0);
		assert_int_equal(pdf.n, 9);
		assert_memory_equal(pdf.p, "%PDF-1.4\n", 9);
		/* a page that does not load is this page's fault: the browser goes on with the next */
		snprintf(page, sizeof page, "%s/missing.html", outbox);
		assert_int_equal(ls_cdp_print_pdf(c, page, &pdf, &err), LS_EDATA);
		assert_string_equal(err.msg, "chromium could not load it: net::ERR_FILE_NOT_FOUND");
		snprintf(page, sizeof page, "%s/D-0001.html", outbox);
		assert_int_equal(ls_cdp_print_pdf(c, page, &pdf, &err), 0);
		ls_cdp_stop(c);
		ls_buf_free(&pdf);
		assert_non_null(log = slurp("log"));
		assert_non_null(strstr(log, "\"method\":\"Fetch.failRequest\",\"sessionId\":\"S1\","
		    "\"params\":{\"requestId\":\"r1\",\"errorReason\":\"AccessDenied\"}"));
		assert_non_null(strstr(log, "\"method\":\"Fetch.continueRequest\",\"sessionId\":\"S1\","
		    "\"params\":{\"requestId\":\"r2\"}"));
		assert_non_null(strstr(log, "\"method\":\"Browser.close\""));
		/* the tab opened once for the three pages */
		assert_non_null(strstr(log, "Target.createTarget"));
		assert_null(strstr(strstr(log, "Target.createTarget") + 1, "Target.createTarget"));
		/* the browser's standard error went where it was told */
		/* (a coverage build's child may also say something of its counters there) */
		assert_non_null(strstr(slurp("err"), "fake chromium: starting\n"));
	}
}

/* A browser that fails while it starts: LS_EIO saying how, and nothing left behind. */
static void
test_start_fails(void **state)
{
	/* (a timeout only where the fake never answers: nothing here depends on how fast it is) */
	static const struct { const char *sc; int timeout_ms; const char *msg; } t[] = {
		{ "exit3", 0, "chromium ended (waiting for Browser.getVersion) (chromium exited with status 3)" },
		{ "signal", 0, "chromium ended (waiting for Browser.getVersion) (chromium was killed by signal 9)" },
		{ "silent", 100, "chromium did not answer in time (waiting for Browser.getVersion)" },
		{ "not-json", 0, "chromium sent a message that is not JSON: " },
	};

	(void)state;
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ls_error err = { 0 };

		assert_null(start(t[i].sc, t[i].timeout_ms, &err));
		assert_int_equal(err.status, LS_EIO);
		if (strncmp(err.msg, t[i].msg, strlen(t[i].msg)) != 0)
			fail_msg("%s: '%s'", t[i].sc, err.msg);
		assert_int_equal(leftovers(), 0);
	}
}

/* A program that cannot be run, a standard error that cannot be opened, a TMPDIR that is not there. */
static void
test_spawn_fails(void **state)
{
	char bad[256], errpath[256];
	struct ls_error err = { 0 };
	FILE *f;

	(void)state;
	/* executable, but no program: exec fails in the child */
	snprintf(bad, sizeof bad, "%s/not-a-program", dir);
	assert_non_null(f = fopen(bad, "w"));
	fputs("\x01\x02 not a program\n", f);
	fclose(f);
	assert_int_equal(chmod(bad, 0700), 0);
	{
		struct ls_cdp_opts o = { .program = bad, .allow_dir = outbox };

		assert_null(ls_cdp_start(&o, &err));
		assert_int_equal(err.status, LS_EIO);
		assert_string_equal(err.msg,
		    "chromium ended (waiting for Browser.getVersion) (chromium exited with status 127)");
	}
	unlink(bad);
	snprintf(errpath, sizeof errpath, "%s/no-such-dir/err", dir);
	{
		struct ls_cdp_opts o = { .program = self, .allow_dir = outbox, .stderr_path = errpath };

		assert_null(ls_cdp_start(&o, &err));
		assert_int_equal(err.status, LS_EIO);
		assert_string_equal(err.msg,
		    "chromium ended (waiting for Browser.getVersion) (chromium exited with status 126)");
	}
	setenv("TMPDIR", "/nonexistent-dir", 1);
	{
		struct ls_cdp_opts o = { .program = self, .allow_dir = outbox };

		assert_null(ls_cdp_start(&o, &err));
		assert_int_equal(err.status, LS_EIO);
		/* mkdtemp() filled the template's X's even as it failed */
		assert_int_equal(strlen(err.file), strlen("/nonexistent-dir/doc-render-chromium.XXXXXX"));
		assert_int_equal(strncmp(err.file, "/nonexistent-dir/doc-render-chromium.", 37), 0);
		assert_string_equal(err.msg, "No such file or directory");
	}
	setenv("TMPDIR", dir, 1);
	assert_int_equal(leftovers(), 0);
}

/*
 * The browser misbehaves once started: each is LS_EIO (the browser is
 * stopped) with what went wrong, and every later call fails the same;
 * a refused print is LS_EDATA (this page's), like a page that does not load.
 */
static void
test_page_fails(void **state)
{
	static const struct { const char *sc; int rc; const char *msg; } t[] = {
		{ "create-error", LS_EIO, "chromium: Target.createTarget: no tabs" },
		{ "no-target", LS_EIO, "chromium made a tab without a targetId" },
		{ "attach-error", LS_EIO, "chromium: Target.attachToTarget: no such target" },
		{ "no-session", LS_EIO, "chromium attached to the tab without a usable sessionId" },
		{ "enable-error", LS_EIO, "chromium: Page.enable: Page domain unavailable" },
		{ "crash", LS_EIO, "chromium's page crashed" },
		{ "detached", LS_EIO, "chromium's page went away: Render process gone." },
		{ "paused-bad", LS_EIO, "chromium sent a request without its id or URL" },
		{ "no-data", LS_EIO, "chromium printed without the PDF's data" },
		{ "not-pdf", LS_EIO, "chromium's PDF data is not a PDF" },
		{ "no-load", LS_EIO, "chromium ended (waiting for the page's load event) (chromium exited with status 1)" },
		{ "print-error", LS_EDATA, "chromium: Page.printToPDF: failed" },
	};
	char page[256];

	(void)state;
	snprintf(page, sizeof page, "%s/D-0001.html", outbox);
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct ls_error err = { 0 }, again = { 0 };
		struct ls_buf pdf = { 0 };
		struct ls_cdp *c;

		assert_non_null(c = start(t[i].sc, 0, &err));
		assert_int_equal(ls_cdp_print_pdf(c, page, &pdf, &err), t[i].rc);
		assert_int_equal(err.status, t[i].rc);
		if (strcmp(err.msg, t[i].msg) != 0)
			fail_msg("%s: '%s'", t[i].sc, err.msg);
		if (t[i].rc == LS_EIO) {
			assert_int_equal(ls_cdp_print_pdf(c, page, &pdf, &again), LS_EIO);
			assert_string_equal(again.msg, err.msg);
			assert_int_equal(ls_cdp_print_pdf(c, page, &pdf, NULL), LS_EIO);
		}
		ls_cdp_stop(c);
		ls_buf_free(&pdf);
	}
}

/* A browser that stops reading: the command that does not fit the socket's buffer times out (2 s). */
static void
test_deaf(void **state)
{
	struct ls_error err = { 0 };
	struct ls_buf pdf = { 0 };
	struct ls_cdp *c;
	size_t n = 4u << 20;	/* far beyond any socket buffer */
	char *page = malloc(n + 1);

	(void)state;
	assert_non_null(page);
	memset(page, 'a', n);
	memcpy(page, outbox, strlen(outbox));
	page[strlen(outbox)] = '/';
	page[n] = '\0';
	/*
	 * The timeout covers the start as well: long enough for the fake to
	 * start and answer under load (an ASan build, a busy machine), and
	 * the whole of it is waited out once the socket is full
	 */
	assert_non_null(c = start("deaf", 2000, &err));
	assert_int_equal(ls_cdp_print_pdf(c, page, &pdf, &err), LS_EIO);
	assert_string_equal(err.msg, "chromium did not read its commands in time");
	ls_cdp_stop(c);
	ls_cdp_stop(NULL);	/* a no-op */
	free(page);
	ls_buf_free(&pdf);
}

int
main(int argc, char *argv[])
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_url),
		cmocka_unit_test(test_inside),
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_find),
		cmocka_unit_test_setup_teardown(test_print, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spawn_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deaf, setup, teardown),
	};
	ssize_t n;

	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--remote-debugging-pipe") == 0)
			fake_browser(argc, argv);
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) < 0)
		return 1;
	self[n] = '\0';
	return cmocka_run_group_tests(tests, NULL, NULL);
}
